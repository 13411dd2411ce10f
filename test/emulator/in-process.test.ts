/**
 * `CmfEmulator.dispatch`: a request of the emulator's own process, served without HTTP, gets the
 * answer the same request gets over HTTP (faults and retries in both modes: client/emulator-faults).
 */
import { CmfEmulator } from "../../provider/emulator";
import { Api, environment, V1 } from "./helpers";

const TOKEN = "in-process-token-51c0";
const auth = { authorization: `Bearer ${TOKEN}` };

let emu: CmfEmulator;
let api: Api;

beforeAll(async () => {
  emu = await CmfEmulator.start({ token: TOKEN });
  api = new Api(emu.url);
});
afterAll(() => emu.close());

describe("CmfEmulator.dispatch", () => {
  test("answers a write and a read as over HTTP: status, headers, body", async () => {
    const created = await emu.dispatch({
      method: "POST",
      path: `${V1}/environments`,
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify(environment("inproc")),
    });
    expect(created).toMatchObject({ status: 200, statusText: "OK" });
    expect(JSON.parse(created.body)).toMatchObject({ name: "inproc" });

    const path = `${V1}/environments/inproc`;
    const overHttp = await api.request("GET", path, { headers: auth });
    const inProcess = await emu.dispatch({ method: "GET", path, headers: auth });
    expect(inProcess.status).toBe(overHttp.status);
    expect(inProcess.statusText).toBe("OK");
    expect(inProcess.body).toBe(overHttp.text);
    expect(inProcess.headers["content-type"]).toBe(overHttp.headers.get("content-type"));
    expect(inProcess.headers.etag).toBe(overHttp.headers.get("etag"));

    const unchanged = await emu.dispatch({
      method: "GET",
      path,
      headers: { ...auth, "if-none-match": String(inProcess.headers.etag) },
    });
    expect(unchanged).toMatchObject({ status: 304, body: "" });
  });

  test("refuses as over HTTP: a missing token, a body it cannot read", async () => {
    const anonymous = await emu.dispatch({ method: "GET", path: `${V1}/environments`, headers: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe("Bearer");
    const text = await emu.dispatch({
      method: "POST",
      path: `${V1}/environments`,
      headers: { ...auth, "content-type": "text/plain" },
      body: "name: x",
    });
    expect(text.status).toBe(415);
  });

  test("a closed emulator refuses, as its closed port would", async () => {
    const closed = await CmfEmulator.start();
    await closed.close();
    await expect(
      closed.dispatch({ method: "GET", path: `${V1}/environments`, headers: {} }),
    ).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});

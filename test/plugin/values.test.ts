import { SECRET_SIG, SIG_KEY, secret, unwrapSecrets, wrapSecrets } from "../../provider/plugin/values";

describe("secret markers", () => {
  it("unwraps secrets anywhere and remembers where they were", () => {
    const { plain, secrets } = unwrapSecrets({
      name: "orders",
      connection: { url: "https://cmf", token: secret("t0k") },
      list: [1, secret({ nested: secret("x") })],
    });
    expect(plain).toEqual({
      name: "orders",
      connection: { url: "https://cmf", token: "t0k" },
      list: [1, { nested: "x" }],
    });
    expect(secrets).toEqual([
      ["connection", "token"],
      ["list", 1],
    ]);
  });

  it("wraps existing paths only, outermost first", () => {
    const wrapped = wrapSecrets({ connection: { url: "u", token: "t" }, name: "n" }, [
      ["connection", "token"],
      ["connection"],
      ["missing", "path"],
    ]) as Record<string, unknown>;
    expect(wrapped.name).toBe("n");
    expect(wrapped.missing).toBeUndefined();
    expect(wrapped.connection).toEqual({ [SIG_KEY]: SECRET_SIG, value: { url: "u", token: "t" } });
  });

  it("round-trips: what arrived secret leaves secret", () => {
    const input = { spec: { image: secret("registry/private:1") }, labels: { a: "b" } };
    const { plain, secrets } = unwrapSecrets(input);
    expect(wrapSecrets(plain, secrets)).toEqual(input);
  });
});

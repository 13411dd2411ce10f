/** The statement kind's provider; see environment-provider.ts for why it is a whole module. */
import { CmfProviderShim } from "./provider-shim";

export = new CmfProviderShim("Statement");

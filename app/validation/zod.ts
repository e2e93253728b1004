import { z } from "zod";

/**
 * Every validation message reaches people through `t(message)`, so an issue
 * no schema gave a message to (a number where an object belongs, a value
 * outside an enum) must still be a translation key, never zod's English.
 * Each namespace whose schemas are shown to people defines this key.
 */
export const invalidValueMessage = "validation.invalidValue";

z.setErrorMap(() => ({ message: invalidValueMessage }));

/** Schemas import `z` from here, so the message map is in place wherever one is parsed. */
export { z };

import { createContext, useContext } from "react";

/** The request's CSP nonce, handed from entry.server to the scripts the root layout renders. */
const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export function useNonce() {
  return useContext(NonceContext);
}

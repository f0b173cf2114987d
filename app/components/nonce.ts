// The per-response nonce of the demo's Content-Security-Policy (entry.server.tsx): Remix's inline
// scripts carry it so the policy can refuse every other inline script. Empty in the browser and
// outside demo mode.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);

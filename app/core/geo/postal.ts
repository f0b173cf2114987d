/** Upper case without spaces or hyphens, so "sw1a 1aa" and "SW1A1AA" match the same prefixes. */
export function normalisePostalCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

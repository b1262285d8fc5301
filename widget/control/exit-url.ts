/**
 * The page a quick exit lands on. Only absolute http(s) URLs pass: a `javascript:` or `data:`
 * URL handed to `location.replace` would run script in the partner page, and the value may
 * come from the frame (the helpline's configuration), which the partner page must not trust
 * blindly.
 */
export const DEFAULT_EXIT_URL = "https://www.google.com/search?q=weather";

export function safeExitUrl(candidate: string | null | undefined): string | null {
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

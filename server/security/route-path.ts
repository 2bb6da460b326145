/**
 * The path as Express's routers match it. Routers are case-insensitive and non-strict
 * (a trailing slash is ignored) by default, so `/API/AUTH/LOGIN` and `/api/auth/login/`
 * reach the login handler: a guard that compared `req.path` literally let them around
 * the login throttle. Guards compare this canonical form instead.
 */
export function routePath(path: string): string {
  const lower = path.toLowerCase();
  const trimmed = lower.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

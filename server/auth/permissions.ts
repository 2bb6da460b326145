/** Who may write to which match: admins everywhere, scorers on their courts (none listed: all), viewers nowhere. */
import type { AuthUser } from '../broadcast/deps.js';

export function canWriteCourt(user: AuthUser, court: string): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'scorer':
      return user.courts.length === 0 || user.courts.includes(court);
    case 'viewer':
      return false;
    default: {
      const never: never = user.role;
      return never;
    }
  }
}

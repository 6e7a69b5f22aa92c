import { configureSession, hasRefreshToken, refresh, get, type User } from './api';

// The signed-in user (null: signed out); `checking` while a stored refresh token is tried at start-up.
export const session = $state<{ user: User | null; checking: boolean; expired: boolean }>({
  user: null,
  checking: true,
  expired: false,
});

configureSession({
  signedOut: () => {
    if (session.user) session.expired = true;
    session.user = null;
  },
  user: (u) => {
    session.user = u;
    session.expired = false;
  },
});

export async function restore(): Promise<void> {
  try {
    if (hasRefreshToken() && (await refresh())) session.user = await get<User>('/api/auth/me');
  } catch {
    session.user = null;
  } finally {
    session.checking = false;
  }
}

export const isAdmin = () => session.user?.role === 'admin' || session.user?.role === 'super_admin';
export const isSuperAdmin = () => session.user?.role === 'super_admin';

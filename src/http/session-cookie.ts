import type { FastifyRequest } from 'fastify';
import { SESSION_TTL_SECONDS } from '../domain/access/console-auth.service.js';

/** The console's session cookie: HTTP-only (scripts cannot read it), SameSite=Lax, Secure when served over https. */
export const SESSION_COOKIE = 'personsd_session';
/** The header the console sends its session's CSRF token in on every unsafe request. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Secure when PUBLIC_URL is https, or (without one) when the request itself came over https. */
function secure(request: FastifyRequest): boolean {
  const publicUrl = request.server.publicUrl;
  return publicUrl ? publicUrl.startsWith('https:') : request.protocol === 'https';
}

export function sessionCookie(request: FastifyRequest, value: string): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${SESSION_TTL_SECONDS}; HttpOnly; SameSite=Lax${secure(request) ? '; Secure' : ''}`;
}

export function clearedSessionCookie(request: FastifyRequest): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure(request) ? '; Secure' : ''}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (method: string) => SAFE_METHODS.has(method);

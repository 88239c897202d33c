import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { setUnauthenticatedHandler } from '../api/http';

/** UnauthenticatedRedirect sends the app to /login?next=<here> when any request answers 401 auth.unauthenticated. */
export function UnauthenticatedRedirect() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const { pathname, search } = window.location;
      if (pathname === '/login') return;
      qc.clear();
      navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate, qc]);
  return null;
}

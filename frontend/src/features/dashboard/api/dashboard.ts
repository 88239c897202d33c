// GET /dashboard: the home page's figures. Each section is present only when the caller
// holds its permission.
import { useQuery } from '@tanstack/react-query';
import { http } from '../../../api/http';
import type { definitions } from '../../../api/schema';

export type Dashboard = definitions['Dashboard'];

export function useDashboard() {
  return useQuery({ queryKey: ['dashboard'], queryFn: ({ signal }) => http.get<Dashboard>('/dashboard', { signal }) });
}

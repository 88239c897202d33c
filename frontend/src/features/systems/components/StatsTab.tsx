// The system page's Statistics tab: the shared statistics view over GET /systems/{id}/stats.
import { http } from '../../../api/http';
import { StatsView, type StatsReport } from '../../../components/stats';
import { TID } from '../../../testids';
import type { System } from '../api/types';

export function StatsTab({ system }: { system: System }) {
  return (
    <StatsView
      queryKey={['systems', 'stats', system.id]}
      fetch={(range, signal) => http.get<StatsReport>(`/systems/${encodeURIComponent(system.id)}/stats`, { query: range, signal })}
      fileBase={system.name}
      testId={TID.systemStats}
    />
  );
}

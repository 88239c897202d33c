// useAgent finds the device agent on this computer and tells its state: checking, not
// running, not paired, or paired with the tokens it sees.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AgentClient, agentUrl, isAgentError, setAgentUrl, type AgentStatus, type AgentToken } from '../../../lib/agent';

export type AgentState = 'checking' | 'notRunning' | 'notPaired' | 'paired';

export interface AgentView {
  client: AgentClient;
  state: AgentState;
  status?: AgentStatus;
  tokens: AgentToken[];
  error?: unknown;
  refresh: () => Promise<void>;
  pair: (code: string) => Promise<void>;
  forget: () => void;
  setUrl: (url: string) => void;
}

export function useAgent(): AgentView {
  const [url, setUrl] = useState(agentUrl);
  const client = useMemo(() => new AgentClient(url), [url]);
  const [state, setState] = useState<AgentState>('checking');
  const [status, setStatus] = useState<AgentStatus>();
  const [tokens, setTokens] = useState<AgentToken[]>([]);
  const [error, setError] = useState<unknown>();

  const refresh = useCallback(async () => {
    setState('checking');
    setError(undefined);
    try {
      const st = await client.status();
      setStatus(st);
      if (!st.paired) {
        setTokens([]);
        setState('notPaired');
        return;
      }
      setTokens(await client.tokens());
      setState('paired');
    } catch (e) {
      setTokens([]);
      if (isAgentError(e) && e.code === 'agent.unreachable') setState('notRunning');
      else if (isAgentError(e) && e.status === 401) setState('notPaired');
      else {
        setError(e);
        setState('paired');
      }
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const pair = useCallback(
    async (code: string) => {
      await client.pair(code);
      await refresh();
    },
    [client, refresh],
  );

  const forget = useCallback(() => {
    client.forget();
    void refresh();
  }, [client, refresh]);

  const changeUrl = useCallback((u: string) => {
    setAgentUrl(u);
    setUrl(agentUrl());
  }, []);

  return { client, state, status, tokens, error, refresh, pair, forget, setUrl: changeUrl };
}

/** The agent registry as the actions left it: `GET /v1/registry/agents` (read by the dialogs and by the exporter for the next snapshot). */
import { z } from 'zod';

export const RegistryAgent = z.object({
  agent_id: z.string(),
  agent_name: z.string(),
  department_id: z.string().nullable(),
  status: z.string(),
  version: z.string().nullable(),
  sunset_date: z.string().nullable(),
  replacement_agent_id: z.string().nullable(),
  migration_guide_url: z.string().nullable(),
  max_requests_per_minute: z.number().nullable(),
  source: z.string(),
  revision: z.number(),
  updated_at: z.string(),
  updated_by: z.string().nullable(),
});
export type RegistryAgent = z.infer<typeof RegistryAgent>;
export const RegistryAgents = z.array(RegistryAgent);

/** Registry agents sorted for a choice: active first, then by name. */
export function sortForChoice<T extends { status: string; agent_name: string }>(agents: readonly T[]): T[] {
  return [...agents].sort((a, b) =>
    a.status === b.status
      ? a.agent_name.localeCompare(b.agent_name)
      : a.status === 'active'
        ? -1
        : b.status === 'active'
          ? 1
          : a.status.localeCompare(b.status),
  );
}

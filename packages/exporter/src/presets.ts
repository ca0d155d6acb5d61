/**
 * `--preset NAME`: the column mapping, value maps and units of a gateway's or tracer's export.
 * A preset's sources are tried first and only when present (then each column's name and
 * aliases); explicit --map, --map-values and --unit override it. The shapes assumed are in
 * README.md (Exporter, Presets).
 */
import { CliError } from './errors.js';
import type { ValueRule, ValueTransforms } from './value-transforms.js';

export interface Preset {
  /** target column → source fields (dotted = nested), tried in order. */
  columns: Record<string, string[]>;
  valueMaps: Record<string, ValueRule[]>;
  units: ValueTransforms['units'];
  /** One line: the export shape this preset was written for. */
  shape: string;
}

const rules = (s: string): ValueRule[] =>
  s.split(',').map((p) => {
    const k = p.lastIndexOf(':');
    return { pattern: p.slice(0, k), value: p.slice(k + 1) };
  });

export const PRESETS: Record<string, Preset> = {
  litellm: {
    shape:
      'LiteLLM proxy StandardLoggingPayload as NDJSON (callbacks / spend logs): startTime in epoch seconds, response_time in seconds, status success|failure, metadata.user_api_key_*',
    columns: {
      request_id: ['id'],
      ts: ['startTime'],
      user_id: ['metadata.user_api_key_user_id', 'end_user'],
      agent_id: ['metadata.user_api_key_alias', 'model_group'],
      department_id: ['metadata.user_api_key_team_alias', 'metadata.user_api_key_team_id'],
      status: ['status'],
      latency_ms: ['response_time'],
      input_tokens: ['prompt_tokens'],
      output_tokens: ['completion_tokens'],
      cost_usd: ['response_cost'],
      model_family: ['model'],
      provider: ['custom_llm_provider'],
      api_client: ['call_type'],
    },
    valueMaps: { status: rules('success:success,failure:error') },
    units: { latency_ms: { unit: 's', factor: 1000 } },
  },
  helicone: {
    shape:
      'Helicone request export (CSV or JSON): request_created_at, request_user_id, response_status (HTTP code), delay_ms, costUSD, properties.* (custom Helicone-Property-* headers)',
    columns: {
      request_id: ['request_id'],
      ts: ['request_created_at'],
      user_id: ['request_user_id'],
      agent_id: ['properties.agent', 'request_properties.agent', 'properties.app'],
      department_id: ['properties.department', 'request_properties.department'],
      status: ['response_status'],
      latency_ms: ['delay_ms', 'latency'],
      input_tokens: ['prompt_tokens'],
      output_tokens: ['completion_tokens'],
      cost_usd: ['costUSD', 'cost'],
      model_family: ['model', 'request_model'],
      provider: ['provider'],
      session_id: ['properties.session', 'request_properties.Helicone-Session-Id'],
    },
    valueMaps: { status: rules('2xx:success,408:timeout,504:timeout,4xx:error,5xx:error,-1:error,0:error') },
    units: {},
  },
  langfuse: {
    shape:
      'Langfuse generations export (observations API / UI export, JSON): startTime ISO, userId, name, level DEFAULT|DEBUG|WARNING|ERROR, usage.input/usage.output, calculatedTotalCost, latency in seconds',
    columns: {
      request_id: ['id'],
      ts: ['startTime'],
      user_id: ['userId', 'metadata.userId'],
      agent_id: ['name', 'traceName'],
      status: ['level'],
      latency_ms: ['latency'],
      input_tokens: ['usage.input', 'promptTokens'],
      output_tokens: ['usage.output', 'completionTokens'],
      cost_usd: ['calculatedTotalCost'],
      model_family: ['model'],
      session_id: ['sessionId'],
      agent_version: ['version'],
    },
    valueMaps: { status: rules('DEFAULT:success,DEBUG:success,WARNING:success,ERROR:error') },
    units: { latency_ms: { unit: 's', factor: 1000 } },
  },
  'otel-genai': {
    shape:
      'OpenTelemetry GenAI spans, one row per span, attributes as columns (CSV) or in an `attributes` object (NDJSON, keys with dots): start_time, duration_ms, status_code OK|UNSET|ERROR, gen_ai.* and enduser.id attributes; cost is not in the conventions (gen_ai.usage.cost assumed)',
    columns: withAttributes({
      request_id: ['span_id', 'spanId'],
      ts: ['start_time', 'startTime', 'start_time_unix_nano'],
      user_id: ['enduser.id', 'user.id'],
      agent_id: ['gen_ai.agent.name', 'gen_ai.agent.id', 'service.name'],
      status: ['status_code', 'status.code'],
      latency_ms: ['duration_ms'],
      input_tokens: ['gen_ai.usage.input_tokens'],
      output_tokens: ['gen_ai.usage.output_tokens'],
      cost_usd: ['gen_ai.usage.cost'],
      model_family: ['gen_ai.response.model', 'gen_ai.request.model'],
      provider: ['gen_ai.system', 'gen_ai.provider.name'],
      session_id: ['gen_ai.conversation.id', 'session.id'],
      calling_agent_id: ['parent_agent'],
    }),
    valueMaps: { status: rules('OK:success,UNSET:success,STATUS_CODE_OK:success,STATUS_CODE_UNSET:success,ERROR:error,STATUS_CODE_ERROR:error') },
    units: {},
  },
};

/** Each attribute name also looked up inside an `attributes` object (`attributes."gen_ai.agent.name"`). */
function withAttributes(columns: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(columns).map(([target, names]) => [target, [...names, ...names.filter((n) => n.includes('.')).map((n) => `attributes."${n}"`)]]),
  );
}

export function getPreset(name: string): Preset {
  const p = PRESETS[name];
  if (!p) throw new CliError(`--preset: unknown preset "${name}" (presets: ${Object.keys(PRESETS).join(', ')})`, { field: 'preset', value: name });
  return p;
}

/** The preset's value maps and units under the explicit ones (explicit flags win per column). */
export function withPreset(preset: Preset | undefined, transforms: ValueTransforms): ValueTransforms {
  if (!preset) return transforms;
  return { valueMaps: { ...preset.valueMaps, ...transforms.valueMaps }, units: { ...preset.units, ...transforms.units } };
}

import { NativeConnector } from '../packages/exporter/src/native-connector.js';
const dir = process.argv[2];
const c = await NativeConnector.create();
await c.loadSnapshot(dir);
const qs = [
 `SELECT count(*) sessions, avg(len(agent_sequence)) avg_len, count(*) FILTER (WHERE len(list_distinct(agent_sequence)) < len(agent_sequence)) loops FROM sessions`,
 `SELECT count(DISTINCT agent_id) agents, count(DISTINCT calling_agent_id) callers, count(*) FILTER (WHERE calling_agent_id IS NOT NULL) a2a, count(*) n, count(DISTINCT (calling_agent_id, agent_id)) edges FROM requests`,
 `WITH e AS (SELECT DISTINCT calling_agent_id s, agent_id t FROM requests WHERE calling_agent_id IS NOT NULL) SELECT (SELECT count(*) FROM (SELECT s a FROM e UNION SELECT t FROM e)) graph_nodes, (SELECT count(*) FROM e a JOIN e b ON a.s=b.t AND a.t=b.s) mutual, (SELECT count(*) FROM e a JOIN e b ON a.t=b.s JOIN e c ON b.t=c.s AND c.t=a.s WHERE a.s<>b.s AND b.s<>c.s AND a.s<>c.s) tri`,
 `SELECT count(DISTINCT country) countries, avg((country IS NULL)::INT) unknown_share FROM requests`,
 `SELECT agent_status, count(*) FROM agents GROUP BY 1`,
];
for (const q of qs) console.log(q.slice(0,60), '\n', (await c.query(q)));

/** `tsx packages/actions-service/src/main.ts`: the service, configured from the environment. */
import { configFromEnv, startService } from './service.js';

const service = await startService(configFromEnv()).catch((e: Error) => {
  console.error(`actions service: ${e.message}`);
  process.exit(1);
});
console.log(`actions service: ${service.url} (${service.db.kind}, snapshot ${service.usage.snapshotId})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void service.close().finally(() => process.exit(0));
  });
}

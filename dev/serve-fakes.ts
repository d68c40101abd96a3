/**
 * Runs the local fakes of Meta's Graph API and OpenRouter on fixed ports, for trying the
 * service by hand (`npm run fakes`) and for the simulator. Replies the bot sends are printed.
 *   FAKE_GRAPH_PORT (18090), FAKE_OPENROUTER_PORT (18091)
 *   WHATSAPP_ACCESS_TOKEN: the bearer token the fake Graph API accepts.
 */
import { startFakeGraphApi } from './fakes/fake-graph-api';
import { startFakeOpenRouter } from './fakes/fake-openrouter';

async function main(): Promise<void> {
  const graph = await startFakeGraphApi({
    port: Number(process.env.FAKE_GRAPH_PORT ?? 18090),
    accessToken: process.env.WHATSAPP_ACCESS_TOKEN ?? 'change-me-access-token',
  });
  const llm = await startFakeOpenRouter({
    port: Number(process.env.FAKE_OPENROUTER_PORT ?? 18091),
  });
  console.log(`fake Graph API:  ${graph.baseUrl}   (WHATSAPP_API_BASE_URL)`);
  console.log(`fake OpenRouter: ${llm.baseUrl}   (OPENROUTER_BASE_URL)`);
  let shown = 0;
  setInterval(() => {
    for (; shown < graph.sent.length; shown++) {
      const s = graph.sent[shown];
      console.log(`→ ${s.to}: ${s.text.replace(/\n/g, '\n  ')}`);
    }
  }, 200);
  const stop = () => void Promise.all([graph.close(), llm.close()]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();

// The baseline of bench:push, run as its own process: a bare web-push loop sending one payload to
// every subscription in a file with the given concurrency. Prints the seconds it took.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import webpush from 'web-push';

const [file = '', concurrencyArg = '50', caFile = ''] = process.argv.slice(2);
const { subscriptions, payload, vapid } = JSON.parse(readFileSync(file, 'utf8')) as {
  subscriptions: Array<{ endpoint: string; keys: { p256dh: string; auth: string } }>;
  payload: string;
  vapid: { subject: string; publicKey: string; privateKey: string };
};
const concurrency = Number(concurrencyArg);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: readFileSync(caFile) });
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < subscriptions.length) {
      const subscription = subscriptions[next++];
      if (subscription)
        await webpush.sendNotification(subscription, payload, {
          TTL: 86400,
          vapidDetails: vapid,
          agent,
          contentEncoding: 'aes128gcm',
        });
    }
  }),
);
agent.destroy();
console.log(((performance.now() - started) / 1000).toFixed(3));

// The baseline of bench:email, run as its own process: a bare nodemailer pool loop sending the
// same raw mail to N recipients with the given connection count. Prints the seconds it took and
// its peak RSS in MB.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

const [url = '', countArg = '0', connectionsArg = '5', rawFile = ''] = process.argv.slice(2);
const count = Number(countArg);
const connections = Number(connectionsArg);
const raw = readFileSync(rawFile);
const target = new URL(url);
const transport = nodemailer.createTransport({
  pool: true,
  host: target.hostname,
  port: Number(target.port),
  secure: false,
  maxConnections: connections,
  maxMessages: Infinity,
});
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: connections * 2 }, async () => {
    while (next < count) {
      const i = next++;
      await transport.sendMail({ envelope: { from: 'status@localhost', to: `baseline${i}@example.com` }, raw });
    }
  }),
);
transport.close();
console.log(
  `${((performance.now() - started) / 1000).toFixed(3)} ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}`,
);

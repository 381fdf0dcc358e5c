// `npm start`: build the server if the sources are newer than the last build, then run it.
// Runs on the Node 24 that the `node` dependency puts first on npm's PATH.
import { pathToFileURL } from 'node:url';
import { ensureBuild, SERVER_ENTRY } from './ensure-build.mjs';

ensureBuild();
await import(pathToFileURL(SERVER_ENTRY).href);

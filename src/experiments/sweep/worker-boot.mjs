// Worker-thread entry when the pool runs as TypeScript (vitest; bin/routesim.js on sources newer than
// dist/): registers tsx (the TypeScript sources run as they are, as in bin/routesim.js),
// then loads the worker proper. Resolving tsx from this file, not from the working directory, lets
// routesim run from any folder.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');

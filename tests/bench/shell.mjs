// Prints the HTML shell exactly as a first visit gets it (GET /, from the real server on an
// empty database), for scripts/size-report.sh: the login form is in it, so it is part of the
// critical path. Needs the debug server binary (cargo build -p server) and target/site.
import { TestServer } from '../e2e/harness.mjs';

const server = new TestServer();
try {
  await server.start();
  const res = await fetch(`${server.url}/`);
  if (!res.ok) throw new Error(`GET / answered ${res.status}`);
  process.stdout.write(await res.text());
} finally {
  await server.dispose();
}

// `npm start`: install what is missing, build, and serve on http://localhost:3000 (SQLite by default).
import { spawn } from 'node:child_process';
import { prepare, run } from './lib/setup.mjs';

prepare({ browser: false });
console.log('Building…');
if (run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) {
	console.error('The build failed: see the messages above.');
	process.exit(1);
}

const env = { ...process.env, PORT: process.env.PORT ?? '3000' };
const server = spawn(process.execPath, ['build'], { stdio: 'inherit', env });
const shownHost = env.HOST && env.HOST !== '0.0.0.0' ? env.HOST : 'localhost';
console.log(`Causeway is starting on http://${shownHost}:${env.PORT} (Ctrl+C stops it).`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

import { loadPack, formatProblem } from '../src/lib/content/loader';
const r = loadPack(process.argv[2]!);
if (r.pack) console.log(JSON.stringify(r.pack, null, 1).slice(0, +(process.argv[3] ?? 3000)));
for (const p of r.problems) console.log(formatProblem(p));

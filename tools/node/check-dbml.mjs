// Parses each DBML file given on the command line with the real `@dbml/core` package and
// prints a JSON summary (tables, refs, enums) that the Rust tests compare with the model.
import { readFileSync } from 'node:fs';
import { Parser } from '@dbml/core';

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  try {
    const db = new Parser().parse(text, 'dbml');
    const summary = { tables: [], refs: 0, enums: [] };
    for (const schema of db.schemas) {
      for (const t of schema.tables) {
        summary.tables.push({
          name: `${schema.name}.${t.name}`,
          fields: t.fields.length,
          indexes: t.indexes.length,
        });
      }
      summary.refs += schema.refs.length;
      for (const e of schema.enums) summary.enums.push(`${schema.name}.${e.name}`);
    }
    console.log(JSON.stringify(summary));
  } catch (e) {
    failed += 1;
    const diags = e.diags ? e.diags.map((d) => `${d.location?.start?.line}:${d.location?.start?.column} ${d.message}`).join('; ') : (e.message ?? String(e));
    console.error(`FAIL ${file}: ${diags}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

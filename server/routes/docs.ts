/**
 * A small, self-contained reader of the OpenAPI document, rendered on the server: no
 * third-party script or CDN, so it works on a village office intranet and under the site's
 * Content-Security-Policy.
 */
interface Doc {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, { summary?: string; tags?: string[]; requestBody?: unknown; parameters?: unknown; responses?: Record<string, { description?: string }> }>>;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

export function docsPage(doc: Doc): string {
  const groups = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const responses = Object.entries(op.responses ?? {})
        .map(([s, r]) => `<li><b>${esc(s)}</b> ${esc(r.description ?? '')}</li>`)
        .join('');
      const request = op.requestBody ?? op.parameters;
      const block = `<details><summary><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> /api${esc(path)} — ${esc(op.summary ?? '')}</summary>
${request ? `<h4>Request</h4><pre>${esc(JSON.stringify(request, null, 2))}</pre>` : ''}<h4>Responses</h4><ul>${responses}</ul></details>`;
      groups.set(tag, [...(groups.get(tag) ?? []), block]);
    }
  }
  const body = [...groups].map(([tag, blocks]) => `<h2>${esc(tag)}</h2>${blocks.join('\n')}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)}</title>
<style>
body{font:16px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #ccc;text-transform:capitalize}
details{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.5rem .75rem}
summary{cursor:pointer;font-family:ui-monospace,monospace}
.m{display:inline-block;min-width:4.5rem;font-weight:700}.get{color:#05668d}.post{color:#2a7a2a}.put{color:#7a5200}.delete{color:#a4161a}
pre{background:#f5f5f5;padding:.5rem;overflow:auto;font-size:13px}
</style></head><body><main><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1)</p>${body}</main></body></html>`;
}

/**
 * Reads GNU objdump's AT&T text and our Plan 9 text into one comparable
 * shape (mnemonic, operands in source-to-destination order, EVEX
 * decorations), to check VEX/EVEX instructions that `go tool objdump` cannot
 * decode against binutils. AT&T and Plan 9 both put the destination last.
 */

export interface Normal {
  mnemonic: string;
  operands: string[];
  decorations: string[];
}

function attReg(r: string): string {
  r = r.replace(/^%/, '');
  let m = /^([xyz])mm(\d+)$/.exec(r);
  if (m) return `${m[1]!.toUpperCase()}${m[2]}`;
  m = /^k([0-7])$/.exec(r);
  if (m) return `K${m[1]}`;
  m = /^r(\d+)[dwb]?$/.exec(r);
  if (m) return `R${m[1]}`;
  m = /^[re]?(ax|cx|dx|bx|sp|bp|si|di)$/.exec(r);
  if (m) return m[1]!.toUpperCase();
  if (r === 'rip' || r === 'eip') return 'IP';
  return r.toUpperCase();
}

function signed32(v: number): number {
  return v >= 0x80000000 && v < 0x100000000 ? v - 0x100000000 : v;
}
function num(s: string): number {
  return s.startsWith('-') ? -parseInt(s.slice(1), 16) : parseInt(s, 16);
}
/** RIP-relative operands compare as one token: their targets are checked separately (binutils' `# addr`). */
function mem(disp: number, base: string, index: string, scale: number): string {
  if (base === 'IP') return 'mem(rip)';
  return `mem(${disp},${base},${index},${index ? scale : 0})`;
}

/** Splits operands at top-level commas. */
function split(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out.map((x) => x.trim());
}

export function fromAtt(text: string): Normal {
  const sp = text.indexOf(' ');
  const mnemonic = (sp < 0 ? text : text.slice(0, sp)).toUpperCase();
  const operands: string[] = [];
  const decorations: string[] = [];
  for (let o of split(sp < 0 ? '' : text.slice(sp + 1))) {
    for (const d of o.match(/\{[^}]*\}/g) ?? []) {
      const x = d.slice(1, -1);
      if (x.startsWith('%k')) decorations.push(`K${x.slice(2)}`);
      else if (x === 'z') decorations.push('.Z');
      else if (x.startsWith('1to')) decorations.push('.BCST');
      else decorations.push(`.${x.toUpperCase().replace('-', '_')}`);
    }
    o = o.replace(/\{[^}]*\}/g, '');
    if (!o) continue;
    if (o.startsWith('%')) operands.push(attReg(o));
    else if (o.startsWith('$')) operands.push(`$${num(o.slice(1))}`);
    else {
      const m = /^(-?0x[0-9a-f]+)?\(([^)]*)\)$/.exec(o);
      if (!m) {
        operands.push(/^0x[0-9a-f]+$/.test(o) ? mem(signed32(parseInt(o, 16)), '', '', 0) : o);
        continue;
      }
      const [b, i, s] = m[2]!.split(',');
      const index = i && i !== '%riz' && i !== '%eiz' ? attReg(i) : '';
      operands.push(mem(signed32(num(m[1] ?? '0')), b ? attReg(b) : '', index, Number(s ?? 1)));
    }
  }
  return { mnemonic, operands, decorations: decorations.sort() };
}

/** `evex`: an opmask register before the destination is a decoration, as AT&T's `{%k1}`. */
export function fromPlan9(text: string, evex: boolean): Normal {
  const sp = text.indexOf(' ');
  let mnemonic = sp < 0 ? text : text.slice(0, sp);
  const decorations: string[] = [];
  for (;;) {
    const dot = mnemonic.lastIndexOf('.');
    if (dot <= 0) break;
    decorations.push(mnemonic.slice(dot));
    mnemonic = mnemonic.slice(0, dot);
  }
  const ops = sp < 0 ? [] : text.slice(sp + 1).split(', ');
  // Our mask operand stands just before the destination.
  if (evex && ops.length >= 2 && /^K[1-7]$/.test(ops[ops.length - 2]!)) decorations.push(ops.splice(ops.length - 2, 1)[0]!);
  const operands = ops.map((o) => {
    if (o.startsWith('$')) return `$${num(o.slice(1))}`;
    if (o.endsWith('(SB)')) return 'mem(rip)';
    const m = /^(-?0x[0-9a-f]+|0)(?:\(([A-Z0-9]+)\))?(?:\(([A-Z0-9]+)\*(\d)\))?$/.exec(o);
    if (m && (m[2] || m[3] || m[1] !== '0')) return mem(signed32(num(m[1]!)), m[2] ?? '', m[3] ?? '', Number(m[4] ?? 1));
    return o;
  });
  return { mnemonic, operands, decorations: decorations.sort() };
}

/**
 * Text a launch configuration carries: shell-like argument strings and env
 * files, parsed with user-facing messages.
 */
import { readFileSync, statSync } from 'node:fs';

/**
 * Splits a command line into words like a POSIX shell (without expansion):
 * whitespace separates words; '…' is literal; "…" allows \" \\ \$ \`; a
 * backslash outside quotes escapes the next character.
 * Throws on an unterminated quote.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated " quote in: ${line}`);
        const d = line[i];
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Parses the text of an env file: `KEY=VALUE` lines, blank lines and `#`
 * comments ignored, an optional `export ` prefix, values optionally in single
 * quotes (literal) or double quotes (\n, \t, \" and \\ escapes); an unquoted
 * value ends at ` #`. Throws with the line number on a malformed line.
 */
export function parseEnvFile(text: string, name = 'envFile'): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^export\s/.test(line)) line = line.slice(6).trimStart();
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`${name}, line ${n + 1}: expected KEY=VALUE, found: ${lines[n].trim()}`);
    const [, key, rest] = m;
    env[key] = parseEnvValue(rest, `${name}, line ${n + 1}`);
  }
  return env;
}

function parseEnvValue(rest: string, where: string): string {
  if (rest.startsWith("'")) {
    const end = rest.indexOf("'", 1);
    if (end < 0) throw new Error(`${where}: unterminated ' quote`);
    return rest.slice(1, end);
  }
  if (rest.startsWith('"')) {
    let out = '';
    for (let i = 1; i < rest.length; i++) {
      const c = rest[i];
      if (c === '"') return out;
      if (c === '\\' && i + 1 < rest.length) {
        const e = rest[++i];
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      } else out += c;
    }
    throw new Error(`${where}: unterminated " quote`);
  }
  const comment = rest.search(/\s#/);
  return (comment >= 0 ? rest.slice(0, comment) : rest).trim();
}

/** An env file holds a few variables; anything larger is a mistake (or a device that never ends). */
const MAX_ENV_FILE_BYTES = 1 << 20;

/** Reads and parses an env file (see parseEnvFile). Throws a user-facing message when it can't be read. */
export function loadEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`cannot read envFile "${path}": it is not a regular file`);
    if (st.size > MAX_ENV_FILE_BYTES) throw new Error(`cannot read envFile "${path}": it is ${st.size} bytes, more than ${MAX_ENV_FILE_BYTES}`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (!(e as NodeJS.ErrnoException).code) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new Error(`cannot read envFile "${path}": ${code === 'ENOENT' ? 'no such file' : code}`);
  }
  return parseEnvFile(text, `envFile "${path}"`);
}

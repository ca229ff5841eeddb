/**
 * POSIX TZ rules ("CET-1CEST,M3.5.0,M10.5.0/3"): a time.Location's `extend`
 * string, which Go consults for times after the zone file's last transition
 * (slim zone files stop their transition tables in the present and leave
 * the future to this rule). Evaluated as Go's time package does: offsets are
 * written west-positive, the DST offset defaults to the standard one plus an
 * hour, a missing rule means ",M3.2.0,M11.1.0", transitions at 02:00 local
 * unless a /time is given, and a rule whose end comes before its start (the
 * southern hemisphere) has DST around the turn of the year.
 */

export interface ZoneAt {
  name: string;
  /** Seconds east of UTC. */
  offset: number;
}

interface Rule {
  kind: 'julian' | 'doy' | 'mwd';
  day: number;
  week: number;
  mon: number;
  /** Seconds after local midnight. */
  time: number;
}

class RuleReader {
  i = 0;
  constructor(readonly s: string) {}

  name(): string | undefined {
    const s = this.s;
    if (s[this.i] === '<') {
      const end = s.indexOf('>', this.i);
      if (end < 0) return undefined;
      const n = s.slice(this.i + 1, end);
      this.i = end + 1;
      return n;
    }
    const m = /^[A-Za-z]{3,}/.exec(s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  /** [+|-]hh[:mm[:ss]] in seconds (hours up to a week, as Go allows for offsets and rule times). */
  seconds(): number | undefined {
    const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(this.s.slice(this.i));
    if (!m || Number(m[2]) > 167 || Number(m[3] ?? 0) > 59 || Number(m[4] ?? 0) > 59) return undefined;
    this.i += m[0].length;
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -v : v;
  }

  rule(): Rule | undefined {
    const m = /^(?:J(\d{1,3})|(\d{1,3})|M(\d{1,2})\.(\d)\.(\d))/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    let r: Rule;
    if (m[1] !== undefined) r = { kind: 'julian', day: Number(m[1]), week: 0, mon: 0, time: 7200 };
    else if (m[2] !== undefined) r = { kind: 'doy', day: Number(m[2]), week: 0, mon: 0, time: 7200 };
    else r = { kind: 'mwd', mon: Number(m[3]), week: Number(m[4]), day: Number(m[5]), time: 7200 };
    if (r.kind === 'julian' ? r.day < 1 || r.day > 365 : r.kind === 'doy' ? r.day > 365 : r.mon < 1 || r.mon > 12 || r.week < 1 || r.week > 5 || r.day > 6)
      return undefined;
    if (this.s[this.i] === '/') {
      this.i++;
      const t = this.seconds();
      if (t === undefined) return undefined;
      r.time = t;
    }
    return r;
  }
}

const DAY = 86400;
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Seconds from the start of `year` (UTC) to the moment rule `r` fires, when `off` is the offset in effect. */
function ruleTime(year: number, r: Rule, off: number): number {
  let day: number;
  if (r.kind === 'julian') day = r.day - 1 + (isLeap(year) && r.day >= 60 ? 1 : 0);
  else if (r.kind === 'doy') day = r.day;
  else {
    const first = new Date(0);
    first.setUTCFullYear(year, r.mon - 1, 1);
    const daysInMonth = new Date(Date.UTC(2000, r.mon, 0)).getUTCDate() + (r.mon === 2 && !isLeap(year) ? -1 : 0);
    let dom = 1 + ((r.day - first.getUTCDay() + 7) % 7);
    for (let w = 1; w < r.week && dom + 7 <= daysInMonth; w++) dom += 7;
    const jan1 = new Date(0);
    jan1.setUTCFullYear(year, 0, 1);
    day = Math.round((first.getTime() - jan1.getTime()) / 1000 / DAY) + dom - 1;
  }
  return day * DAY + r.time - off;
}

/** The zone rule `tz` gives for Unix time `sec`, or undefined when `tz` is not a rule Go accepts. */
export function zoneByRule(tz: string, sec: number): ZoneAt | undefined {
  // JavaScript dates reach ±8.64e15 ms; Go's rules are for human years anyway.
  if (!(Math.abs(sec) < 8e12)) return undefined;
  const p = new RuleReader(tz);
  const stdName = p.name();
  if (stdName === undefined) return undefined;
  const stdWest = p.seconds();
  if (stdWest === undefined) return undefined;
  const std = { name: stdName, offset: -stdWest };
  if (p.i === tz.length) return std;
  const dstName = p.name();
  if (dstName === undefined) return undefined;
  let dst = { name: dstName, offset: std.offset + 3600 };
  if (p.i < tz.length && tz[p.i] !== ',') {
    const w = p.seconds();
    if (w === undefined) return undefined;
    dst = { name: dstName, offset: -w };
  }
  let start: Rule | undefined = { kind: 'mwd', mon: 3, week: 2, day: 0, time: 7200 };
  let end: Rule | undefined = { kind: 'mwd', mon: 11, week: 1, day: 0, time: 7200 };
  if (p.i < tz.length) {
    p.i++;
    start = p.rule();
    if (!start || tz[p.i] !== ',') return undefined;
    p.i++;
    end = p.rule();
    if (!end || p.i !== tz.length) return undefined;
  }
  const year = new Date(sec * 1000).getUTCFullYear();
  const jan1 = new Date(0);
  jan1.setUTCFullYear(year, 0, 1);
  const ysec = sec - jan1.getTime() / 1000;
  let a = ruleTime(year, start, std.offset);
  let b = ruleTime(year, end, dst.offset);
  let outside = std;
  let inside = dst;
  if (b < a) {
    [a, b] = [b, a];
    [outside, inside] = [inside, outside];
  }
  return ysec >= a && ysec < b ? inside : outside;
}

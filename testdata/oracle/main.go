// oracle prints what Go's own debug/elf, debug/gosym and debug/buildinfo say
// about a Go binary, so the TypeScript decoders can be checked against code
// that is not ours. Output is line oriented and compact:
//
//	oracle funcs BIN           T <textStart>, then F <entry> <end> <name> per function
//	oracle pcs BIN             every PC of every function, run-length encoded:
//	                           P <fileIdx> <name> (first use), R <start> <end> <fileIdx> <line> <funcIdx>
//	oracle sample -n N BIN     N PCs from a fixed PRNG over [first entry, last end):
//	                           P lines as above, S <pc> <fileIdx> <line> <funcIdx>
//	oracle line BIN FILE:LINE  L <file:line> <pc> from Table.LineToPC (pc 0 when none)
//	oracle buildinfo BIN       debug/buildinfo as JSON
//	oracle modinfo             runtime/debug.ParseBuildInfo of stdin as JSON
//	oracle elf BIN             debug/elf: E <entry> <type>, H per program header,
//	                           S per section (+ sha256 of its uncompressed data),
//	                           Y per symbol
//
// Numbers are hex without 0x. fileIdx -1 means gosym returned "" for the file;
// funcIdx -1 means no function; line is decimal (gosym's -1 kept as is).
package main

import (
	"bufio"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/gosym"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "oracle: "+format+"\n", args...)
	os.Exit(1)
}

// open returns the gosym table of a binary and the text start used for it.
func open(path string) (*gosym.Table, uint64) {
	f, err := elf.Open(path)
	if err != nil {
		die("%v", err)
	}
	defer f.Close()
	text := f.Section(".text")
	pcln := f.Section(".gopclntab")
	if text == nil || pcln == nil {
		die("%s: no .text or .gopclntab", path)
	}
	data, err := pcln.Data()
	if err != nil {
		die("%v", err)
	}
	// Same rule as cmd/internal/objfile: prefer the runtime.text symbol.
	start := text.Addr
	if syms, err := f.Symbols(); err == nil {
		for _, s := range syms {
			if s.Name == "runtime.text" {
				start = s.Value
				break
			}
		}
	}
	var symtab []byte
	if s := f.Section(".gosymtab"); s != nil {
		symtab, _ = s.Data()
	}
	tab, err := gosym.NewTable(symtab, gosym.NewLineTable(data, start))
	if err != nil {
		die("%v", err)
	}
	return tab, start
}

type printer struct {
	w     *bufio.Writer
	files map[string]int
	funcs map[*gosym.Func]int
}

func newPrinter(tab *gosym.Table) *printer {
	p := &printer{w: bufio.NewWriterSize(os.Stdout, 1<<20), files: map[string]int{}, funcs: map[*gosym.Func]int{}}
	for i := range tab.Funcs {
		p.funcs[&tab.Funcs[i]] = i
	}
	return p
}

func (p *printer) fileIdx(name string) int {
	if name == "" {
		return -1
	}
	if i, ok := p.files[name]; ok {
		return i
	}
	i := len(p.files)
	p.files[name] = i
	fmt.Fprintf(p.w, "P %d %s\n", i, name)
	return i
}

func (p *printer) funcIdx(fn *gosym.Func) int {
	if fn == nil {
		return -1
	}
	return p.funcs[fn]
}

func main() {
	if len(os.Args) < 2 {
		die("usage: oracle funcs|pcs|sample|line|buildinfo [flags] BIN [args]")
	}
	mode := os.Args[1]
	if mode == "modinfo" {
		text, _ := io.ReadAll(os.Stdin)
		bi, err := debug.ParseBuildInfo(string(text))
		if err != nil {
			die("%v", err)
		}
		out, _ := json.Marshal(bi)
		fmt.Println(string(out))
		return
	}
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	n := fs.Int("n", 200000, "number of sampled PCs (sample)")
	seed := fs.Uint64("seed", 1, "PRNG seed (sample)")
	fs.Parse(os.Args[2:])
	args := fs.Args()
	if len(args) < 1 {
		die("missing binary path")
	}
	bin := args[0]

	if mode == "buildinfo" {
		bi, err := buildinfo.ReadFile(bin)
		if err != nil {
			die("%v", err)
		}
		out, _ := json.Marshal(bi)
		fmt.Println(string(out))
		return
	}

	if mode == "elf" {
		printELF(bin)
		return
	}

	tab, start := open(bin)
	p := newPrinter(tab)
	defer p.w.Flush()
	switch mode {
	case "funcs":
		fmt.Fprintf(p.w, "T %x\n", start)
		for _, fn := range tab.Funcs {
			fmt.Fprintf(p.w, "F %x %x %s\n", fn.Entry, fn.End, fn.Name)
		}
	case "pcs":
		for i := range tab.Funcs {
			fn := &tab.Funcs[i]
			runStart := fn.Entry
			var rf, rl, rn int
			for pc := fn.Entry; pc <= fn.End; pc++ {
				var f, l, k int
				if pc < fn.End {
					file, line, g := tab.PCToLine(pc)
					f, l, k = p.fileIdx(file), line, p.funcIdx(g)
				}
				if pc == fn.Entry {
					rf, rl, rn = f, l, k
					continue
				}
				if pc == fn.End || f != rf || l != rl || k != rn {
					fmt.Fprintf(p.w, "R %x %x %d %d %d\n", runStart, pc, rf, rl, rn)
					runStart, rf, rl, rn = pc, f, l, k
				}
			}
		}
	case "sample":
		if len(tab.Funcs) == 0 {
			die("no functions")
		}
		lo, hi := tab.Funcs[0].Entry, tab.Funcs[len(tab.Funcs)-1].End
		x := *seed
		for i := 0; i < *n; i++ {
			// xorshift64*: deterministic and independent of math/rand versions.
			x ^= x >> 12
			x ^= x << 25
			x ^= x >> 27
			pc := lo + (x*2685821657736338717)%(hi-lo)
			file, line, g := tab.PCToLine(pc)
			fmt.Fprintf(p.w, "S %x %d %d %d\n", pc, p.fileIdx(file), line, p.funcIdx(g))
		}
	case "line":
		for _, a := range args[1:] {
			i := strings.LastIndexByte(a, ':')
			if i < 0 {
				die("bad FILE:LINE %q", a)
			}
			line, err := strconv.Atoi(a[i+1:])
			if err != nil {
				die("bad line in %q", a)
			}
			pc, _, err := tab.LineToPC(a[:i], line)
			if err != nil {
				pc = 0
			}
			fmt.Fprintf(p.w, "L %s %x\n", a, pc)
		}
	default:
		die("unknown mode %q", mode)
	}
}

// printELF dumps what debug/elf decodes: header, program headers, sections
// (with a hash of the decompressed contents) and symbols.
func printELF(path string) {
	f, err := elf.Open(path)
	if err != nil {
		die("%v", err)
	}
	defer f.Close()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "E %x %d\n", f.Entry, f.Type)
	for _, p := range f.Progs {
		fmt.Fprintf(w, "H %d %d %x %x %x %x\n", p.Type, p.Flags, p.Off, p.Vaddr, p.Filesz, p.Memsz)
	}
	for _, s := range f.Sections {
		hash := "-"
		if s.Type != elf.SHT_NOBITS && s.Type != elf.SHT_NULL {
			data, err := s.Data()
			if err != nil {
				die("section %s: %v", s.Name, err)
			}
			hash = fmt.Sprintf("%x:%d", sha256.Sum256(data), len(data))
		}
		fmt.Fprintf(w, "S %s %d %d %x %x %x %d %d %d %s\n", s.Name, s.Type, s.Flags, s.Addr, s.Offset, s.FileSize, s.Link, s.Info, s.Entsize, hash)
	}
	syms, _ := f.Symbols()
	for _, s := range syms {
		fmt.Fprintf(w, "Y %x %x %d %d %d %s\n", s.Value, s.Size, elf.ST_TYPE(s.Info), elf.ST_BIND(s.Info), s.Section, s.Name)
	}
}

// dwarforacle dumps what Go's own debug/elf + debug/dwarf read from a binary,
// as JSON, for the DWARF decoder tests to compare against.
//
//	dwarforacle funcs BINARY            functions with params/locals/blocks/inlined calls
//	dwarforacle lines BINARY CU...      line table rows of the named compile units
//	dwarforacle types BINARY            every top-level type DIE: name, size, fields, elem...
//	dwarforacle globals BINARY          package-level variables with DW_OP_addr locations
//	dwarforacle units BINARY            compile units: name, version, ranges
package main

import (
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
)

const (
	attrGoKind        = dwarf.Attr(0x2900)
	attrGoKey         = dwarf.Attr(0x2901)
	attrGoElem        = dwarf.Attr(0x2902)
	attrGoEmbedded    = dwarf.Attr(0x2903)
	attrGoRuntimeType = dwarf.Attr(0x2904)
	attrGoDictIndex   = dwarf.Attr(0x2906)
)

type variable struct {
	Name     string `json:"name"`
	Tag      string `json:"tag"`
	Type     int64  `json:"type"`
	DeclLine int64  `json:"declLine"`
	IsReturn bool   `json:"isReturn"`
	Depth    int    `json:"depth"`
	// Ranges of the innermost enclosing lexical block (nil at function level).
	Scope [][2]uint64 `json:"scope"`
	// Location: "expr:<hex>" for an expression, "list" for a location list, "" for none.
	Loc string `json:"loc"`
}

type inlined struct {
	Name      string      `json:"name"`
	CallFile  int64       `json:"callFile"`
	CallLine  int64       `json:"callLine"`
	Ranges    [][2]uint64 `json:"ranges"`
	Variables []variable  `json:"variables"`
	Inlined   []inlined   `json:"inlined"`
}

type function struct {
	Offset    int64       `json:"offset"`
	Name      string      `json:"name"`
	Ranges    [][2]uint64 `json:"ranges"`
	Variables []variable  `json:"variables"`
	Inlined   []inlined   `json:"inlined"`
}

type field struct {
	Name     string `json:"name"`
	Offset   int64  `json:"offset"`
	Type     int64  `json:"type"`
	Embedded bool   `json:"embedded"`
}

type typ struct {
	Offset      int64   `json:"offset"`
	Tag         string  `json:"tag"`
	Name        string  `json:"name"`
	Size        int64   `json:"size"`
	GoKind      int64   `json:"goKind"`
	RuntimeType uint64  `json:"runtimeType"`
	Target      int64   `json:"target"` // DW_AT_type
	Key         int64   `json:"key"`
	Elem        int64   `json:"elem"`
	Count       int64   `json:"count"`
	Fields      []field `json:"fields"`
	Params      []int64 `json:"params"`
	Results     []int64 `json:"results"`
	Variadic    bool    `json:"variadic"`
	DictIndex   int64   `json:"dictIndex"`
	// debug/dwarf's own reading of the type: its String() and Size().
	Str     string `json:"str"`
	StrSize int64  `json:"strSize"`
}

type row struct {
	Address     uint64 `json:"address"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	IsStmt      bool   `json:"isStmt"`
	PrologueEnd bool   `json:"prologueEnd"`
	EndSequence bool   `json:"endSequence"`
}

type global struct {
	Name    string `json:"name"`
	Address uint64 `json:"address"`
	Type    int64  `json:"type"`
}

type unitInfo struct {
	Offset  int64       `json:"offset"`
	Name    string      `json:"name"`
	Ranges  [][2]uint64 `json:"ranges"`
	Files   []string    `json:"files"`
	HasLine bool        `json:"hasLine"`
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: dwarforacle funcs|lines|types|globals|units BINARY [CU...]")
		os.Exit(2)
	}
	f, err := elf.Open(os.Args[2])
	check(err)
	d, err := f.DWARF()
	check(err)
	var out any
	switch os.Args[1] {
	case "funcs":
		out = funcs(d)
	case "lines":
		out = lines(d, os.Args[3:])
	case "types":
		out = types(d)
	case "globals":
		out = globals(d)
	case "units":
		out = units(d)
	default:
		fmt.Fprintln(os.Stderr, "unknown command", os.Args[1])
		os.Exit(2)
	}
	enc := json.NewEncoder(os.Stdout)
	check(enc.Encode(out))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func tagName(t dwarf.Tag) string { return t.GoString()[len("dwarf.Tag"):] }

func ref(e *dwarf.Entry, a dwarf.Attr) int64 {
	if v, ok := e.Val(a).(dwarf.Offset); ok {
		return int64(v)
	}
	return 0
}

func num(e *dwarf.Entry, a dwarf.Attr) int64 {
	switch v := e.Val(a).(type) {
	case int64:
		return v
	case uint64:
		return int64(v)
	case bool:
		if v {
			return 1
		}
	}
	return 0
}

// entryAt reads the DIE at off.
func entryAt(d *dwarf.Data, off dwarf.Offset) *dwarf.Entry {
	r := d.Reader()
	r.Seek(off)
	e, err := r.Next()
	check(err)
	return e
}

// originOf follows DW_AT_abstract_origin.
func originOf(d *dwarf.Data, e *dwarf.Entry) *dwarf.Entry {
	for i := 0; i < 8; i++ {
		if _, ok := e.Val(dwarf.AttrName).(string); ok {
			return e
		}
		o, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset)
		if !ok {
			return e
		}
		e = entryAt(d, o)
	}
	return e
}

func ranges(d *dwarf.Data, e *dwarf.Entry) [][2]uint64 {
	rs, err := d.Ranges(e)
	check(err)
	return rs
}

func funcs(d *dwarf.Data) []function {
	var out []function
	r := d.Reader()
	for {
		e, err := r.Next()
		check(err)
		if e == nil {
			break
		}
		if e.Tag == dwarf.TagCompileUnit {
			continue
		}
		if e.Tag != dwarf.TagSubprogram {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		rs := ranges(d, e)
		if len(rs) == 0 {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		fn := function{Offset: int64(e.Offset), Name: originOf(d, e).Val(dwarf.AttrName).(string), Ranges: rs}
		if e.Children {
			fn.Variables, fn.Inlined = walk(d, r, 0, nil)
		}
		out = append(out, fn)
	}
	return out
}

// walk reads children until the terminating null entry.
func walk(d *dwarf.Data, r *dwarf.Reader, depth int, scope [][2]uint64) ([]variable, []inlined) {
	var vars []variable
	var inls []inlined
	for {
		e, err := r.Next()
		check(err)
		if e == nil || e.Tag == 0 {
			return vars, inls
		}
		switch e.Tag {
		case dwarf.TagFormalParameter, dwarf.TagVariable:
			vars = append(vars, makeVar(d, e, depth, scope))
			if e.Children {
				r.SkipChildren()
			}
		case dwarf.TagLexDwarfBlock:
			rs := ranges(d, e)
			if rs == nil {
				rs = [][2]uint64{} // a block without code: never in scope (null means function level)
			}
			if e.Children {
				v, in := walk(d, r, depth+1, rs)
				vars = append(vars, v...)
				inls = append(inls, in...)
			}
		case dwarf.TagInlinedSubroutine:
			in := inlined{Name: originOf(d, e).Val(dwarf.AttrName).(string), CallFile: num(e, dwarf.AttrCallFile), CallLine: num(e, dwarf.AttrCallLine), Ranges: ranges(d, e)}
			if e.Children {
				in.Variables, in.Inlined = walk(d, r, 0, nil)
			}
			inls = append(inls, in)
		default:
			if e.Children {
				r.SkipChildren()
			}
		}
	}
}

func makeVar(d *dwarf.Data, e *dwarf.Entry, depth int, scope [][2]uint64) variable {
	src := e
	if o, ok := e.Val(dwarf.AttrAbstractOrigin).(dwarf.Offset); ok {
		src = entryAt(d, o)
	}
	v := variable{Tag: tagName(e.Tag), Depth: depth, Scope: scope}
	v.Name, _ = src.Val(dwarf.AttrName).(string)
	v.Type = ref(e, dwarf.AttrType)
	if v.Type == 0 {
		v.Type = ref(src, dwarf.AttrType)
	}
	v.DeclLine = num(e, dwarf.AttrDeclLine)
	if v.DeclLine == 0 {
		v.DeclLine = num(src, dwarf.AttrDeclLine)
	}
	if e.Tag == dwarf.TagFormalParameter {
		if _, ok := e.Val(dwarf.AttrVarParam).(bool); ok {
			v.IsReturn = e.Val(dwarf.AttrVarParam).(bool)
		} else {
			v.IsReturn, _ = src.Val(dwarf.AttrVarParam).(bool)
		}
	}
	if f := e.AttrField(dwarf.AttrLocation); f != nil {
		switch f.Class {
		case dwarf.ClassExprLoc, dwarf.ClassBlock:
			v.Loc = fmt.Sprintf("expr:%x", f.Val.([]byte))
		case dwarf.ClassLocListPtr, dwarf.ClassLocList:
			v.Loc = "list"
		}
	}
	return v
}

func lines(d *dwarf.Data, names []string) []row {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []row
	r := d.Reader()
	for {
		e, err := r.Next()
		check(err)
		if e == nil {
			break
		}
		if e.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		if want[name] {
			lr, err := d.LineReader(e)
			check(err)
			if lr != nil {
				var le dwarf.LineEntry
				for lr.Next(&le) == nil {
					file := ""
					if le.File != nil {
						file = le.File.Name
					}
					out = append(out, row{le.Address, file, le.Line, le.IsStmt, le.PrologueEnd, le.EndSequence})
				}
			}
		}
		r.SkipChildren()
	}
	return out
}

func isTypeTag(t dwarf.Tag) bool {
	switch t {
	case dwarf.TagBaseType, dwarf.TagArrayType, dwarf.TagTypedef, dwarf.TagSubroutineType,
		dwarf.TagPointerType, dwarf.TagStructType, dwarf.TagUnspecifiedType:
		return true
	}
	return false
}

func types(d *dwarf.Data) []typ {
	var out []typ
	r := d.Reader()
	for {
		e, err := r.Next()
		check(err)
		if e == nil {
			break
		}
		if e.Tag == dwarf.TagCompileUnit {
			continue
		}
		if !isTypeTag(e.Tag) {
			if e.Children {
				r.SkipChildren()
			}
			continue
		}
		t := typ{Offset: int64(e.Offset), Tag: tagName(e.Tag), Size: num(e, dwarf.AttrByteSize), GoKind: num(e, attrGoKind),
			Target: ref(e, dwarf.AttrType), Key: ref(e, attrGoKey), Elem: ref(e, attrGoElem), DictIndex: -1}
		t.Name, _ = e.Val(dwarf.AttrName).(string)
		if a, ok := e.Val(attrGoRuntimeType).(uint64); ok {
			t.RuntimeType = a
		}
		if e.Val(attrGoDictIndex) != nil {
			t.DictIndex = num(e, attrGoDictIndex)
		}
		if e.Children {
			for {
				c, err := r.Next()
				check(err)
				if c == nil || c.Tag == 0 {
					break
				}
				switch c.Tag {
				case dwarf.TagMember:
					name, _ := c.Val(dwarf.AttrName).(string)
					emb, _ := c.Val(attrGoEmbedded).(bool)
					t.Fields = append(t.Fields, field{name, num(c, dwarf.AttrDataMemberLoc), ref(c, dwarf.AttrType), emb})
				case dwarf.TagSubrangeType:
					t.Count = num(c, dwarf.AttrCount)
				case dwarf.TagFormalParameter:
					if isRet, _ := c.Val(dwarf.AttrVarParam).(bool); isRet {
						t.Results = append(t.Results, ref(c, dwarf.AttrType))
					} else {
						t.Params = append(t.Params, ref(c, dwarf.AttrType))
					}
				case dwarf.TagUnspecifiedParameters:
					t.Variadic = true
				}
				if c.Children {
					r.SkipChildren()
				}
			}
		}
		if dt, err := d.Type(e.Offset); err == nil {
			t.Str = dt.String()
			t.StrSize = dt.Size()
		}
		out = append(out, t)
	}
	return out
}

func globals(d *dwarf.Data) []global {
	var out []global
	r := d.Reader()
	for {
		e, err := r.Next()
		check(err)
		if e == nil {
			break
		}
		if e.Tag == dwarf.TagCompileUnit {
			continue
		}
		if e.Tag == dwarf.TagVariable {
			loc, _ := e.Val(dwarf.AttrLocation).([]byte)
			name, _ := e.Val(dwarf.AttrName).(string)
			if len(loc) == 9 && loc[0] == 0x03 {
				out = append(out, global{name, binary.LittleEndian.Uint64(loc[1:]), ref(e, dwarf.AttrType)})
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
	return out
}

func units(d *dwarf.Data) []unitInfo {
	var out []unitInfo
	r := d.Reader()
	for {
		e, err := r.Next()
		check(err)
		if e == nil {
			break
		}
		if e.Tag == dwarf.TagCompileUnit {
			u := unitInfo{Offset: int64(e.Offset), Ranges: ranges(d, e)}
			u.Name, _ = e.Val(dwarf.AttrName).(string)
			if lr, err := d.LineReader(e); err == nil && lr != nil {
				u.HasLine = true
				for _, f := range lr.Files() {
					if f == nil {
						u.Files = append(u.Files, "")
					} else {
						u.Files = append(u.Files, f.Name)
					}
				}
			}
			out = append(out, u)
		}
		r.SkipChildren()
	}
	return out
}

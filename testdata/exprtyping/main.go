// Program exprtyping holds values of every comparable kind, stops at one
// line, then prints the Go expressions a test evaluates there, computed by
// the compiled program itself, one "expression<TAB>value" line each (values
// spelled the way the debug adapter shows them: strings quoted, runes as
// "98 'b'").
package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

type Celsius float64
type Name string
type Point struct{ X, Y int }
type Pair struct {
	P   Point
	Tag string
}
type Bag struct{ Items []int }
type Arr3 [3]int
type Shape interface{ Area() float64 }
type Sq struct{ S float64 }

func (s Sq) Area() float64 { return s.S * s.S }

type myErr struct{ msg string }

func (e *myErr) Error() string { return e.msg }

// text is a value already spelled the way the adapter shows it.
type text string

// runeConst spells an untyped rune constant: "98 'b'".
func runeConst(r rune) text { return text(fmt.Sprintf("%d %q", r, r)) }

func row(expr string, v any) {
	var s string
	switch x := v.(type) {
	case text:
		s = string(x)
	case string:
		s = strconv.Quote(x)
	case Name:
		s = strconv.Quote(string(x))
	case uintptr:
		s = fmt.Sprintf("%#x", x)
	case [5]byte:
		s = strings.ReplaceAll(fmt.Sprintf("[5]uint8 %v", x), " ", ",")
		s = strings.Replace(s, "[5]uint8,", "[5]uint8 ", 1)
	default:
		s = fmt.Sprint(x)
	}
	fmt.Printf("%s\t%s\n", expr, s)
}

func main() {
	i2, i3 := 2, 3
	var i8 int8 = -5
	var u8 uint8 = 200
	var b byte = 7
	var u64 uint64 = math.MaxUint64
	f1 := 3.0
	var f32 float32 = 0.1
	c128 := complex(1, 2)
	var c64 complex64 = complex(3, 4)
	str1 := "hello"
	str2 := "héllo"
	bs := []byte("bytes")
	rs := []rune("añb")
	name := Name("bob")
	temp := Celsius(21.5)
	p1, p2, p3 := Point{1, 2}, Point{1, 2}, Point{2, 1}
	pair1, pair2 := Pair{Point{1, 2}, "a"}, Pair{Point{1, 2}, "a"}
	arr1, arr2 := [3]int{1, 2, 3}, [3]int{1, 2, 3}
	arr3 := Arr3{1, 2, 4}
	bag := Bag{}
	pi, pj, pk := &i2, &i2, &i3
	var pnil *int
	ch1 := make(chan int, 3)
	ch1 <- 9
	ch2 := ch1
	var chnil chan int
	var sl []int
	sl2 := []int{1}
	m := map[string]int{"a": 1}
	var mnil map[string]int
	fn := strconv.Itoa
	var fnnil func()
	var e1 error = &myErr{"x"}
	e2 := e1
	var enil error
	var any1 any = p1
	var any2 any = 5
	var any3 any = e1
	var anyS, anyS2 any = []int{1}, []int{1}
	var sh, sh2 Shape = Sq{2}, Sq{2}
	nan := math.NaN()
	negz := math.Copysign(0, -1)
	up := unsafe.Pointer(&arr1[0])
	uptr := uintptr(up)

	fmt.Println("stop") // stop here

	// Operators on typed operands: wrap-around, shifts, floats, strings, named types.
	row("i2 + i3", i2+i3)
	row("i3 - i2*4", i3-i2*4)
	row("i3 / i2", i3/i2)
	row("i8 * 30", i8*30)
	row("u8 + 100", u8+100)
	row("u64 + 1", u64+1)
	row("^u8", ^u8)
	row("^i2", ^i2)
	row("-u8", -u8)
	row("b << 7", b<<7)
	row("i2 << 62", i2<<62)
	row("i8 >> 1", i8>>1)
	row("1 << i3", 1<<i3)
	row("f1 / 2", f1/2)
	row("f32 * 3", f32*3)
	row("str1 + \" world\"", str1+" world")
	row("str1 < \"help\"", str1 < "help")
	row("str2 > str1", str2 > str1)
	row("name + \"!\"", name+"!")
	row("temp * 2", temp*2)
	row("c128 * c128", c128*c128)
	row("c64 + 1", c64+1)
	// Untyped constants: exact.
	row("1 << 100 >> 98", 1<<100>>98)
	row("0.1 + 0.2 == 0.3", 0.1+0.2 == 0.3)
	row("10 / 4.0", 10/4.0)
	row("10 / 4", 10/4)
	row("-7 / 2", -7/2)
	row("-7 % 2", -7%2)
	row("'a' + 1", runeConst('a'+1))
	row("'a' << i3", int32('a'<<i3))
	row("^uint8(0)", ^uint8(0))
	row("uint8(200) / 2 * 2", uint8(200)/2*2)
	// Builtins.
	row("real(c64)", real(c64))
	row("imag(c128)", imag(c128))
	row("complex(f1, 1)", complex(f1, 1))
	row("imag(3i)", imag(3i))
	row("len(str2)", len(str2))
	row("len(\"héllo\")", len("héllo"))
	row("cap(ch1)", cap(ch1))
	row("len(ch1)", len(ch1))
	row("len(m)", len(m))
	row("len(arr1)", len(arr1))
	row("len(rs)", len(rs))
	row("min(i2, i3, 1)", min(i2, i3, 1))
	row("max(f1, 2.5)", max(f1, 2.5))
	row("min(\"b\", \"a\", \"c\")", min("b", "a", "c"))
	row("max(str1, str2)", max(str1, str2))
	row("min(nan, 1.0)", min(nan, 1.0))
	row("max(1, 2.5)", max(1, 2.5))
	row("min(1, 2.5, 'a')", min(1, 2.5, 'a'))
	row("real(3)", real(3))
	row("unsafe.Sizeof(p1)", unsafe.Sizeof(p1))
	row("unsafe.Sizeof(str1)", unsafe.Sizeof(str1))
	row("unsafe.Sizeof(c64)", unsafe.Sizeof(c64))
	row("unsafe.Alignof(c64)", unsafe.Alignof(c64))
	row("unsafe.Offsetof(pair1.Tag)", unsafe.Offsetof(pair1.Tag))
	row("unsafe.Offsetof(pair1.P.Y)", unsafe.Offsetof(pair1.P.Y))
	// Comparisons of every comparable kind.
	row("p1 == p2", p1 == p2)
	row("p1 == p3", p1 == p3)
	row("pair1 == pair2", pair1 == pair2)
	row("arr1 == arr2", arr1 == arr2)
	row("arr1 == [3]int(arr3)", arr1 == [3]int(arr3))
	row("pi == pj", pi == pj)
	row("pi == pk", pi == pk)
	row("pnil == nil", pnil == nil)
	row("pi != nil", pi != nil)
	row("ch1 == ch2", ch1 == ch2)
	row("ch1 == chnil", ch1 == chnil)
	row("chnil == nil", chnil == nil)
	row("sl == nil", sl == nil)
	row("sl2 == nil", sl2 == nil)
	row("m != nil", m != nil)
	row("mnil == nil", mnil == nil)
	row("fnnil == nil", fnnil == nil)
	row("fn != nil", fn != nil)
	row("e1 == e2", e1 == e2)
	row("e1 == enil", e1 == enil)
	row("enil == nil", enil == nil)
	row("any3 == e1", any3 == e1)
	row("any1 == p1", any1 == p1)
	row("any1 == p3", any1 == p3)
	row("any2 == 5", any2 == 5)
	row("any2 == i2", any2 == i2)
	row("sh == sh2", sh == sh2)
	row("nan == nan", nan == nan)
	row("negz == 0", negz == 0)
	row("up == unsafe.Pointer(&arr1[0])", up == unsafe.Pointer(&arr1[0]))
	row("uptr == uintptr(up)", uptr == uintptr(up))
	// Conversions.
	row("len([]byte(str2))", len([]byte(str2)))
	row("[]byte(str1)[1]", []byte(str1)[1])
	row("[]rune(str2)[1]", []rune(str2)[1])
	row("len([]rune(str2))", len([]rune(str2)))
	row("string(rs)", string(rs))
	row("string(bs)", string(bs))
	row("string(rune(65))", string(rune(65)))
	row("Name(str1)", Name(str1))
	row("string(name)", string(name))
	row("Celsius(f1)", Celsius(f1))
	row("float64(temp)", float64(temp))
	row("int(f1)", int(f1))
	row("int8(i2 * 100)", int8(i2*100))
	row("uint8(i8)", uint8(i8))
	row("float32(0.1)", float32(0.1))
	row("int64(u64)", int64(u64))
	row("int(-f1 - 0.5)", int(-f1-0.5))
	row("*(*[5]byte)(unsafe.Pointer(&bs[0]))", *(*[5]byte)(unsafe.Pointer(&bs[0])))
	row("*(*int)(unsafe.Pointer(uptr))", *(*int)(unsafe.Pointer(uptr)))
	row("uintptr(unsafe.Pointer(pi)) == uintptr(unsafe.Pointer(pj))", uintptr(unsafe.Pointer(pi)) == uintptr(unsafe.Pointer(pj)))
	row("any(5) == any2", any(5) == any2)
	row("any(str1) == any(\"hello\")", any(str1) == any("hello"))

	// Keep every variable alive (and used) until here.
	fmt.Println(i2, i3, i8, u8, b, u64, f1, f32, c128, c64, str1, str2, bs, rs, name, temp, p1, p2, p3, pair1, pair2, arr1, arr2, arr3,
		bag, pi, pj, pk, pnil, ch1 == ch2, chnil, sl, sl2, m, mnil, fn != nil, fnnil == nil, e1, e2, enil, any1, any2, any3, anyS, anyS2, sh, sh2, nan, negz, up, uptr)
}

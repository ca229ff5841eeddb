// Command exprforms holds one value for each form of Go expression the
// debugger evaluates (composite literals, index and slice, map keys of every
// comparable kind, type assertions, function and method values,
// package-qualified names, of internal and vendored packages too: net
// brings in vendor/golang.org/x/net/dns/dnsmessage). At the stop it prints the same expressions
// itself, so a test can check what the debugger says against Go.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"reflect"
	"runtime"
	"strings"
)

type astruct struct {
	A int
	B int
}

func (a *astruct) Error() string { return fmt.Sprintf("astruct %d", a.A) }

type bstruct struct{ a astruct }

type named struct {
	Name string
	N    int
}

func (n named) Hello() string { return "hello " + n.Name }

// outer promotes Error from *astruct and Hello from named.
type outer struct {
	*astruct
	named
}

type functype func()

type greeter interface{ Hello() string }

type celsius float64

var gcounter = 7

func afunc()  { gcounter++ }
func afunc2() { gcounter += 2 }

// funcName is the name the runtime gives a func value's code (a method
// value's "-fm" wrapper named as its method).
func funcName(f any) string {
	return strings.TrimSuffix(runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name(), "-fm")
}

// dynamicMethod is the function an interface's method value calls: the
// method of the dynamic type (Go's own method value through an interface is
// a wrapper named for the interface, "main.greeter.Hello-fm").
func dynamicMethod(x any, name string) string {
	m, _ := reflect.TypeOf(x).MethodByName(name)
	return funcName(m.Func.Interface())
}

func main() {
	as1 := astruct{1, 1}
	as2 := &astruct{A: 5, B: 6}
	m3 := map[astruct]int{{1, 1}: 42, {2, 3}: 7}
	m4 := map[astruct]astruct{{2, 2}: {22, 22}}
	arrKey := map[[2]int]string{{1, 2}: "one-two", {3, 4}: "three-four"}
	ifKey := map[any]string{1: "int one", "x": "string x", astruct{1, 2}: "astruct", 2.5: "float", int8(1): "int8 one"}
	fKey := map[float64]string{0.5: "half", -1: "minus one"}
	x, y := 10, 20
	pKey := map[*int]string{&x: "x", &y: "y"}
	bKey := map[bool]int{true: 1, false: 0}
	nKey := map[named]int{{"a", 1}: 100}
	sKey := map[string]any{"i": 3, "s": "three", "as": astruct{3, 3}, "p": as2, "nil": nil}
	arr := [5]int{10, 11, 12, 13, 14}
	parr := &arr
	sl := []int{0, 1, 2, 3, 4, 5, 6, 7}
	str := "hello, world"
	var err1 error = &astruct{1, 2}
	var errnil error
	var iface any = named{"n", 2}
	var gr greeter = named{"g", 3}
	var fn1 functype = afunc
	var fnil functype
	temp := celsius(21.5)
	e2 := errors.New("plain")
	bs := bstruct{astruct{4, 4}}
	pas := []*astruct{{4, 4}, {5, 5}}
	out := outer{&astruct{8, 9}, named{"o", 1}}
	ch := make(chan int, 3)
	ch <- 5
	ch <- 6

	if len(os.Args) > 1 {
		return
	}
	fmt.Println("stop") // exprforms stop
	p := func(name string, v any) { fmt.Printf("ROW %s = %v\n", name, v) }
	p(`m3[astruct{1, 1}]`, m3[astruct{1, 1}])
	p(`m3[main.astruct{2, 3}]`, m3[astruct{2, 3}])
	p(`m3[as1]`, m3[as1])
	p(`m4[main.astruct{2, 2}]`, m4[astruct{2, 2}])
	p(`m4[main.astruct{A: 2, B: 2}].B`, m4[astruct{A: 2, B: 2}].B)
	p(`arrKey[[2]int{3, 4}]`, arrKey[[2]int{3, 4}])
	p(`ifKey[1]`, ifKey[1])
	p(`ifKey["x"]`, ifKey["x"])
	p(`ifKey[main.astruct{1, 2}]`, ifKey[astruct{1, 2}])
	p(`ifKey[2.5]`, ifKey[2.5])
	p(`ifKey[int8(1)]`, ifKey[int8(1)])
	p(`fKey[0.5]`, fKey[0.5])
	p(`fKey[-1]`, fKey[-1])
	p(`pKey[&x]`, pKey[&x])
	p(`bKey[true]`, bKey[true])
	p(`nKey[named{"a", 1}]`, nKey[named{"a", 1}])
	p(`sKey["i"].(int)`, sKey["i"].(int))
	p(`sKey["s"].(string)`, sKey["s"].(string))
	p(`sKey["as"].(astruct).B`, sKey["as"].(astruct).B)
	p(`sKey["p"].(*astruct).A`, sKey["p"].(*astruct).A)
	p(`arr[1:3]`, arr[1:3])
	p(`arr[1:3:4]`, arr[1:3:4])
	p(`cap(arr[1:3:4])`, cap(arr[1:3:4]))
	p(`parr[2]`, parr[2])
	p(`parr[3:]`, parr[3:])
	p(`len(parr[1:2:5])`, len(parr[1:2:5]))
	p(`cap(parr[1:2:5])`, cap(parr[1:2:5]))
	p(`sl[2:5]`, sl[2:5])
	p(`cap(sl[2:5])`, cap(sl[2:5]))
	p(`cap(sl[2:5:6])`, cap(sl[2:5:6]))
	p(`sl[:0]`, sl[:0])
	p(`str[7:]`, str[7:])
	p(`str[0]`, str[0])
	p(`"abc"[1:]`, "abc"[1:])
	p(`[]int{1, 2, 3}[1]`, []int{1, 2, 3}[1])
	p(`len([]int{1, 2, 3})`, len([]int{1, 2, 3}))
	p(`[...]string{"a", "b"}[1]`, [...]string{"a", "b"}[1])
	p(`len([...]int{5: 1})`, len([...]int{5: 1}))
	p(`main.astruct{B: 3}.B`, astruct{B: 3}.B)
	p(`astruct{1, 1} == as1`, astruct{1, 1} == as1)
	p(`[]named{{"q", 1}}[0].Name`, []named{{"q", 1}}[0].Name)
	p(`err1.(*main.astruct).B`, err1.(*astruct).B)
	p(`iface.(named).N`, iface.(named).N)
	p(`iface.(greeter).Hello`, dynamicMethod(iface, "Hello"))
	p(`gr.(named).Name`, gr.(named).Name)
	p(`iface.(greeter)`, iface.(greeter))
	p(`iface.(any)`, iface.(any))
	p(`out.Hello`, funcName(out.Hello))
	p(`out.Error`, funcName(out.Error))
	p(`out.B`, out.B)
	p(`temp`, temp)
	p(`float64(temp)`, float64(temp))
	p(`main.celsius(3)`, celsius(3))
	p(`main.gcounter`, gcounter)
	p(`strings.ToUpper`, funcName(strings.ToUpper))
	p(`fn1`, funcName(fn1))
	p(`main.afunc`, funcName(afunc))
	p(`afunc2`, funcName(afunc2))
	p(`as2.Error`, funcName(as2.Error))
	p(`iface.(type)`, fmt.Sprintf("%T", iface))
	p(`err1.(type)`, fmt.Sprintf("%T", err1))
	p(`bs.a.A`, bs.a.A)
	p(`len(m3)`, len(m3))
	p(`len(ch)`, len(ch))
	p(`cap(ch)`, cap(ch))
	p(`*pas[1]`, *pas[1])
	p(`e2.Error`, dynamicMethod(e2, "Error"))
	p(`struct{}{}`, struct{}{})
	p(`[]struct{}{{}, {}}`, []struct{}{{}, {}})
	p(`len(map[string]struct{}{"a": {}, "b": struct{}{}})`, len(map[string]struct{}{"a": {}, "b": struct{}{}}))
	p(`struct{}{} == struct{}{}`, struct{}{} == struct{}{})
	fn1()
	fmt.Println(fnil == nil, gr.Hello(), temp, err1, errnil, e2, strings.ToUpper(str), net.ParseIP("10.0.0.1"))
	afunc2()
	fmt.Println("gcounter", gcounter)
}

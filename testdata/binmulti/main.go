// binmulti: a program spread over several files and two packages, with
// methods on value and pointer receivers, used by the binary decoder tests.
package main

import (
	"fmt"
	"os"

	"example.com/testdata/binmulti/geom"
)

type counter struct {
	n     int
	names []string
}

// add is a pointer-receiver method.
func (c *counter) add(name string) {
	c.n++ // MARK:counterAdd
	c.names = append(c.names, name)
}

// total is a value-receiver method.
func (c counter) total() int {
	return c.n
}

func main() {
	c := &counter{}
	pts := []geom.Point{{X: 1, Y: 2}, {X: 3, Y: 4}, {X: -1, Y: 5}}
	sum := 0.0
	for i := 0; i < len(pts); i++ { // MARK:forHeader
		sum += pts[i].Dist(geom.Origin)
		c.add(fmt.Sprint(i))
	}

	// MARK:commentLine (no code here; the line above is blank)
	pts[0].Scale(2)
	poly := geom.Polygon{Points: pts}
	area := poly.Area()
	report(os.Stdout, c.total(), sum, area)
}

// Package geom is a tiny geometry package for the binary decoder tests.
package geom

import "math"

// Point is a point in the plane.
type Point struct{ X, Y float64 }

// Origin is the zero point.
var Origin = Point{}

// Dist is a value-receiver method.
func (p Point) Dist(q Point) float64 {
	dx := p.X - q.X // MARK:distBody
	dy := p.Y - q.Y
	return math.Sqrt(dx*dx + dy*dy)
}

// Scale is a pointer-receiver method.
func (p *Point) Scale(k float64) {
	p.X *= k
	p.Y *= k
}

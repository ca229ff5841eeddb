package geom

// Polygon is a closed polygon.
type Polygon struct{ Points []Point }

// Area uses the shoelace formula.
func (g Polygon) Area() float64 {
	a := 0.0
	n := len(g.Points)
	for i := range g.Points {
		j := (i + 1) % n
		a += g.Points[i].X*g.Points[j].Y - g.Points[j].X*g.Points[i].Y
	}
	if a < 0 {
		a = -a
	}
	return a / 2
}

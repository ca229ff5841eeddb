package geom

type Rect struct {
	W, H int
}

func (r Rect) Area() int {
	a := r.W * r.H
	return a
}

func (r *Rect) Scale(k int) {
	r.W *= k
	r.H *= k
}

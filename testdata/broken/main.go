// Does not compile: the tests check that the build error reaches the user.
package main

func main() {
	undefinedFunction()
}

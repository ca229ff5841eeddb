//go:build integration

package main

// Built only with -tags=integration.
func integrationOnly() int {
	return 4
}

package share

import "fmt"

// opErr names the operation that failed, for the logs (the codes and messages are apperr's).
func opErr(op string, err error) error { return fmt.Errorf("%s: %w", op, err) }

/** Go's context package: cancellation, deadlines and request-scoped values. */
package dev.goloom.context;

package dev.goloom.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * docs/MISUSE.md: a negative {@code @GoroutineLeakGrace(millis)} fails the test it annotates with
 * a named {@link IllegalArgumentException}, on a method and on a class alike. Driven through the
 * JUnit Platform test kit (the cases are static nested classes, which surefire does not run).
 */
class GoroutineLeakGraceMisuseTest {

    @ExtendWith(GoroutineLeakExtension.class)
    static class NegativeOnMethod {
        @Test
        @GoroutineLeakGrace(millis = -1)
        void annotated() {
        }
    }

    @ExtendWith(GoroutineLeakExtension.class)
    @GoroutineLeakGrace(millis = -250)
    static class NegativeOnClass {
        @Test
        void inherits() {
        }
    }

    @ExtendWith(GoroutineLeakExtension.class)
    @GoroutineLeakGrace(millis = 0)
    static class ZeroIsFine {
        @Test
        void passes() {
        }
    }

    private static Throwable onlyFailure(Class<?> c) {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).execute();
        List<Event> failed = r.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> r.allEvents().list().toString());
        return failed.get(0).getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow();
    }

    @Test
    void negativeGraceOnAMethodIsNamed() {
        Throwable e = onlyFailure(NegativeOnMethod.class);
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("goloom: @GoroutineLeakGrace(millis) must be at least 0, got -1", e.getMessage());
    }

    @Test
    void negativeGraceOnAClassIsNamed() {
        Throwable e = onlyFailure(NegativeOnClass.class);
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("goloom: @GoroutineLeakGrace(millis) must be at least 0, got -250", e.getMessage());
    }

    @Test
    void zeroGraceIsAccepted() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ZeroIsFine.class)).execute()
                .testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }
}

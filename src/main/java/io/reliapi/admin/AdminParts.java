package io.reliapi.admin;

import io.reliapi.observe.RecentRequests;
import io.reliapi.server.Snapshot;
import io.reliapi.store.Stores;
import io.reliapi.time.Clock;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the operator's side reads and may do: the current snapshot, the ring of recent requests, the
 * stores, the last reload's outcome, and a reload (run off the event loop; {@code reload} takes the trigger).
 */
public record AdminParts(
    Supplier<Snapshot> current,
    RecentRequests recent,
    Stores stores,
    Clock clock,
    Supplier<ReloadOutcome> lastReload,
    Function<String, Future<ReloadOutcome>> reload) {}

package io.reliapi.config;

import java.util.Optional;

/** Spending limits in USD per UTC day and/or UTC calendar month; at least one is set. */
public record BudgetConfig(Optional<Double> dailyUsd, Optional<Double> monthlyUsd) {}

package dev.gradproof.campaign;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies a property's {@code tries} by {@link Campaign#LONG_FACTOR} in long mode
 * ({@code -Dgradproof.campaign=long}); in CI mode the annotated number is used as it is. Added with
 * {@code @AddLifecycleHook(CampaignSize.class)}.
 */
public final class CampaignSize implements AroundPropertyHook {

    /** Added on a class, it must reach the class's properties (jqwik's default is the class alone). */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        int tries = context.attributes().tries().orElse(1);
        if (Campaign.isLong() && tries > 1) { // @Example is a property of one try: left alone
            context.attributes().setTries(tries * Campaign.LONG_FACTOR);
        }
        return property.execute();
    }
}

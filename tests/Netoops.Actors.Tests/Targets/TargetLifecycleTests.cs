using Netoops.Actors.Targets;
using static Netoops.Actors.Targets.TargetState;
using static Netoops.Actors.Targets.TargetTrigger;

namespace Netoops.Actors.Tests.Targets;

public class TargetLifecycleTests
{
    private static TargetLifecycle Walk(params TargetTrigger[] triggers)
    {
        var machine = new TargetLifecycle("t");
        foreach (var t in triggers)
            Assert.True(machine.Fire(t).IsPermitted, $"{t} refused in {machine.State}");
        return machine;
    }

    [Fact]
    public void A_new_target_is_disabled() => Assert.Equal(Disabled, new TargetLifecycle("t").State);

    [Fact]
    public void Enable_then_setup_success_reaches_enabled() =>
        Assert.Equal(Enabled, Walk(Enable, SetupSucceeded).State);

    [Fact]
    public void Setup_failure_returns_to_disabled() =>
        Assert.Equal(Disabled, Walk(Enable, SetupFailed).State);

    [Fact]
    public void Disable_while_enabled_passes_through_cleaning_to_disabled()
    {
        var m = Walk(Enable, SetupSucceeded, Disable);
        Assert.Equal(Cleaning, m.State);
        m.Fire(CleanupDone);
        Assert.Equal(Disabled, m.State);
    }

    [Theory]
    [InlineData(SettingUp)]
    [InlineData(Enabled)]
    [InlineData(Cleaning)]
    public void Attribute_writes_outside_disabled_and_deactivated_are_busy_with_the_kernel_message(TargetState state)
    {
        var m = state switch
        {
            SettingUp => Walk(Enable),
            Enabled => Walk(Enable, SetupSucceeded),
            _ => Walk(Enable, SetupSucceeded, Disable),
        };
        var verdict = Assert.IsType<BusyVerdict>(m.Fire(TargetTrigger.WriteAttribute));
        Assert.Equal(state, verdict.State);
        Assert.Equal(state, m.State);
        if (state == Enabled)
            Assert.Equal("target t is enabled, disable to update parameters", verdict.Message);
    }

    [Fact]
    public void Attribute_writes_are_permitted_while_disabled_and_deactivated()
    {
        Assert.True(Walk().Fire(TargetTrigger.WriteAttribute).IsPermitted);
        Assert.True(Walk(Enable, SetupSucceeded, DeviceUnregistered, CleanupDone).Fire(TargetTrigger.WriteAttribute).IsPermitted);
    }

    [Theory]
    [InlineData(Enable)]
    [InlineData(Disable)]
    public void Enable_or_disable_during_a_transition_is_busy(TargetTrigger trigger)
    {
        Assert.IsType<BusyVerdict>(Walk(Enable).Fire(trigger));
        Assert.IsType<BusyVerdict>(Walk(Enable, SetupSucceeded, Disable).Fire(trigger));
    }

    [Fact]
    public void Enabling_an_enabled_target_is_busy() =>
        Assert.IsType<BusyVerdict>(Walk(Enable, SetupSucceeded).Fire(Enable));

    [Fact]
    public void Unregister_while_enabled_cleans_up_then_deactivates()
    {
        var m = Walk(Enable, SetupSucceeded, DeviceUnregistered);
        Assert.Equal(Cleaning, m.State);
        m.Fire(CleanupDone);
        Assert.Equal(Deactivated, m.State);
    }

    [Fact]
    public void Enslave_while_enabled_cleans_up_then_disables() =>
        Assert.Equal(Disabled, Walk(Enable, SetupSucceeded, DeviceEnslaved, CleanupDone).State);

    [Fact]
    public void Unregister_during_setup_turns_a_successful_setup_into_cleanup_then_deactivated()
    {
        var m = Walk(Enable, DeviceUnregistered, SetupSucceeded);
        Assert.Equal(Cleaning, m.State);
        m.Fire(CleanupDone);
        Assert.Equal(Deactivated, m.State);
    }

    [Fact]
    public void Unregister_during_setup_then_setup_failure_is_deactivated() =>
        Assert.Equal(Deactivated, Walk(Enable, DeviceUnregistered, SetupFailed).State);

    [Fact]
    public void Deactivated_resumes_when_the_device_registers_again() =>
        Assert.Equal(SettingUp, Walk(Enable, SetupSucceeded, DeviceUnregistered, CleanupDone, DeviceRegistered).State);

    [Fact]
    public void Writing_enabled_zero_resets_deactivated_to_disabled() =>
        Assert.Equal(Disabled, Walk(Enable, SetupSucceeded, DeviceUnregistered, CleanupDone, Disable).State);

    [Fact]
    public void Writing_enabled_one_while_deactivated_sets_up_again() =>
        Assert.Equal(SettingUp, Walk(Enable, SetupSucceeded, DeviceUnregistered, CleanupDone, Enable).State);

    [Fact]
    public void A_disabled_target_ignores_device_registration() =>
        Assert.Equal(Disabled, Walk(DeviceRegistered).State);

    [Fact]
    public void Drop_during_cleanup_ends_dropped_not_disabled() =>
        Assert.Equal(Dropped, Walk(Enable, SetupSucceeded, Disable, Drop, CleanupDone).State);

    [Fact]
    public void Drop_during_setup_cleans_up_the_fresh_socket_then_drops()
    {
        var m = Walk(Enable, Drop, SetupSucceeded);
        Assert.Equal(Cleaning, m.State);
        m.Fire(CleanupDone);
        Assert.Equal(Dropped, m.State);
    }

    [Fact]
    public void Unregister_during_a_user_disable_still_ends_disabled() =>
        Assert.Equal(Disabled, Walk(Enable, SetupSucceeded, Disable, DeviceUnregistered, CleanupDone).State);

    [Fact]
    public void Every_trigger_on_a_dropped_target_is_invalid_and_nothing_changes()
    {
        var m = Walk(Drop);
        foreach (var t in Enum.GetValues<TargetTrigger>())
        {
            Assert.IsType<InvalidVerdict>(m.Fire(t));
            Assert.Equal(Dropped, m.State);
        }
    }

    [Fact]
    public void A_stray_completion_is_invalid_not_an_exception()
    {
        Assert.IsType<InvalidVerdict>(Walk().Fire(SetupSucceeded));
        Assert.IsType<InvalidVerdict>(Walk(Enable, SetupSucceeded).Fire(CleanupDone));
    }

    [Fact]
    public void A_device_that_goes_and_comes_back_during_setup_is_set_up_again()
    {
        var m = Walk(Enable, DeviceUnregistered, DeviceRegistered, SetupSucceeded);
        Assert.Equal(Cleaning, m.State);
        m.Fire(CleanupDone);
        Assert.Equal(SettingUp, m.State);
    }

    [Fact]
    public void A_failed_setup_on_a_device_that_came_back_is_retried() =>
        Assert.Equal(SettingUp, Walk(Enable, DeviceUnregistered, DeviceRegistered, SetupFailed, CleanupDone).State);

    [Fact]
    public void A_device_that_comes_back_during_cleanup_is_set_up_again() =>
        Assert.Equal(SettingUp, Walk(Enable, SetupSucceeded, DeviceUnregistered, DeviceRegistered, CleanupDone).State);

    [Fact]
    public void A_device_that_comes_back_and_goes_again_during_cleanup_ends_deactivated() =>
        Assert.Equal(Deactivated, Walk(Enable, SetupSucceeded, DeviceUnregistered, DeviceRegistered, DeviceUnregistered, CleanupDone).State);

    [Fact]
    public void A_device_registering_during_a_user_disable_does_not_re_enable() =>
        Assert.Equal(Disabled, Walk(Enable, SetupSucceeded, Disable, DeviceRegistered, CleanupDone).State);
}

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// Builds the guest kit once per test run for every real-kernel test, and keeps those tests
/// in one collection so that two emulated guests never compete for the machine's two cores.
/// </summary>
public sealed class GuestKitFixture
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GuestKit? _kit;
    private GuestKit? _withAgent;

    public async Task<GuestKit> GetAsync(Action<string> step)
    {
        await _gate.WaitAsync();
        try
        {
            return _kit ??= await GuestKit.BuildAsync(step);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The kit with our agent in its initramfs, published once per test run (and cached across runs).</summary>
    public async Task<GuestKit> GetWithAgentAsync(Action<string> step)
    {
        var kit = await GetAsync(step);
        await _gate.WaitAsync();
        try
        {
            return _withAgent ??= await kit.WithAgentAsync(step);
        }
        finally
        {
            _gate.Release();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RealKernelCollection : ICollectionFixture<GuestKitFixture>
{
    public const string Name = "real kernel";
}

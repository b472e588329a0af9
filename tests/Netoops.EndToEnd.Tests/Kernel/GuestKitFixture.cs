namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// Builds the guest kit once per test run for every real-kernel test, and keeps those tests
/// in one collection so that two emulated guests never compete for the machine's two cores.
/// </summary>
public sealed class GuestKitFixture
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private GuestKit? _kit;

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
}

[CollectionDefinition(Name)]
public sealed class RealKernelCollection : ICollectionFixture<GuestKitFixture>
{
    public const string Name = "real kernel";
}

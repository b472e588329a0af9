using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace Netoops.Actors.Tests;

/// <summary>
/// TestKit with a roomier default wait: CI runs every test assembly at once on two cores, and a
/// scenario must fail on behaviour, not on a busy machine. Quiet periods stay explicit.
/// </summary>
public abstract class ActorTest(ITestOutputHelper? output = null)
    : TestKit("akka.test.single-expect-default = 10s\nakka.loglevel = WARNING", output: output);

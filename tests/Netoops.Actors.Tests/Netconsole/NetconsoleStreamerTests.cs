using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Netconsole;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Actors.Tests.Doubles;
using Netoops.Protocol.Kmsg;

namespace Netoops.Actors.Tests.Netconsole;

public class NetconsoleStreamerTests : ActorTest
{
    private readonly FakeNetpoll _netpoll = new();
    private readonly IActorRef _netconsole;
    private TimeSpan _now = TimeSpan.FromSeconds(100);

    public NetconsoleStreamerTests() =>
        _netconsole = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netconsole(_netpoll)));

    private static KmsgRecord Record(ulong seq, string text) => new(6, seq, 1000 + seq, text);

    private T Ask<T>(IActorRef actor, object message)
    {
        actor.Tell(message, TestActor);
        return ExpectMsg<T>();
    }

    private void Target(string name, params (string Attribute, string Value)[] writes)
    {
        Ask<TargetMade>(_netconsole, new MakeTarget(name));
        foreach (var (attribute, value) in writes) Ask<Accepted>(_netconsole, new WriteAttribute(name, attribute, value));
        Ask<Accepted>(_netconsole, new WriteAttribute(name, "enabled", "1"));
    }

    private IActorRef Streamer(bool oopsOnly = false, double rate = 1000, int burst = 1000) =>
        Sys.ActorOf(NetconsoleStreamer.Props(new NetconsoleStreamerOptions(_netconsole, oopsOnly, rate, burst, "6.1.0-test", () => _now)));

    private string[] Received(string target) =>
        _netpoll.Channels.Single(c => c.Target == target).Datagrams.Select(d => Encoding.UTF8.GetString(d)).ToArray();

    [Fact]
    public void Each_target_gets_the_record_in_its_own_format()
    {
        Target("basic");
        Target("ext", ("extended", "1"), ("release", "1"), ("userdata/dc/value", "fra1"), ("msgid_enabled", "1"));
        var streamer = Streamer();
        streamer.Tell(new StreamLog(Record(42, "hello"), PartOfCrash: false));
        streamer.Tell(new StreamLog(Record(43, "again"), PartOfCrash: false));
        AwaitCondition(() => _netpoll.Channels.All(c => c.Sent == 2));
        Assert.Equal(["hello\n", "again\n"], Received("basic"));
        Assert.Equal(["6.1.0-test,6,42,1042,-;hello\n dc=fra1\n msgid=1\n", "6.1.0-test,6,43,1043,-;again\n dc=fra1\n msgid=2\n"], Received("ext"));
    }

    [Fact]
    public void Disabled_targets_get_nothing()
    {
        Ask<TargetMade>(_netconsole, new MakeTarget("off"));
        Target("on");
        var streamer = Streamer();
        streamer.Tell(new StreamLog(Record(1, "x"), false));
        AwaitCondition(() => _netpoll.Channels.Single().Sent == 1);
        Assert.Equal("on", Assert.Single(_netpoll.Channels).Target);
    }

    [Fact]
    public void Oops_only_sends_only_crash_records()
    {
        Target("a");
        var streamer = Streamer(oopsOnly: true);
        streamer.Tell(new StreamLog(Record(1, "boring"), false));
        streamer.Tell(new StreamLog(Record(2, "BUG: oops"), true));
        Assert.Equal(new StreamerStats(1, 1, 0), Ask<StreamerStats>(streamer, new GetStreamerStats()));
        AwaitCondition(() => _netpoll.Channels.Single().Sent == 1);
        Assert.Equal(["BUG: oops\n"], Received("a"));
    }

    [Fact]
    public void The_rate_limit_drops_ordinary_records_but_crash_records_bypass_it()
    {
        Target("a");
        var streamer = Streamer(rate: 1, burst: 2);
        for (ulong i = 0; i < 5; i++) streamer.Tell(new StreamLog(Record(i, "noise"), false));
        streamer.Tell(new StreamLog(Record(9, "Kernel panic"), true));
        Assert.Equal(new StreamerStats(3, 0, 3), Ask<StreamerStats>(streamer, new GetStreamerStats()));
        _now += TimeSpan.FromSeconds(1);
        streamer.Tell(new StreamLog(Record(10, "later"), false));
        Assert.Equal(4, Ask<StreamerStats>(streamer, new GetStreamerStats()).Forwarded);
        AwaitCondition(() => _netpoll.Channels.Single().Sent == 4);
        Assert.Contains("Kernel panic\n", Received("a"));
    }

    [Fact]
    public void A_long_basic_record_is_cut_into_1000_byte_datagrams()
    {
        Target("a");
        var streamer = Streamer();
        streamer.Tell(new StreamLog(Record(1, new string('x', 2500)), false));
        AwaitCondition(() => _netpoll.Channels.Single().Sent == 3);
        Assert.Equal([1000, 1000, 501], Received("a").Select(d => d.Length));
    }
}

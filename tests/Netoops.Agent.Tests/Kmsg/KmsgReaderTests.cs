using System.Collections.Concurrent;
using Netoops.Agent.Kmsg;

namespace Netoops.Agent.Tests.Kmsg;

public class KmsgReaderTests
{
    private sealed class RunningReader : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;

        public RunningReader(KmsgReader reader)
        {
            Reader = reader;
            _task = Task.Factory.StartNew(() => reader.Run(Records.Add, _stop.Token), TaskCreationOptions.LongRunning);
        }

        public KmsgReader Reader { get; }
        public BlockingCollection<string> Records { get; } = new();

        public string Next()
        {
            Assert.True(Records.TryTake(out var record, TimeSpan.FromSeconds(10)), "no record within 10 s");
            return record!;
        }

        /// <summary>Cancels the run; true when the reader returned within <paramref name="patience"/>.</summary>
        public bool Stop(TimeSpan patience)
        {
            _stop.Cancel();
            return _task.Wait(patience);
        }

        public void Dispose() => Stop(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Records_written_into_a_fifo_arrive_one_by_one_with_their_dictionary_lines()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Fifo("kmsg");
        using var running = new RunningReader(new KmsgReader(fifo, replayHistory: false));

        using (var writer = new StreamWriter(fifo))
        {
            writer.Write("6,1,100,-;eth0: link up\n SUBSYSTEM=net\n");
            writer.Flush();
            Assert.Equal("6,1,100,-;eth0: link up\n SUBSYSTEM=net\n", running.Next());
            writer.Write("4,2,200,-;second\n");
        }

        Assert.Equal("4,2,200,-;second\n", running.Next());
    }

    [Fact]
    public void A_reader_asleep_on_a_silent_fifo_returns_when_cancelled()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Fifo("kmsg");
        using var running = new RunningReader(new KmsgReader(fifo, replayHistory: false));
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write); // connected, writes nothing
        Thread.Sleep(300);

        // The reader sleeps in poll() without a timeout; only the cancellation can wake it.
        Assert.True(running.Stop(TimeSpan.FromSeconds(10)), "the reader did not return after cancellation");
    }

    [Fact]
    public void A_fifo_whose_writer_left_is_read_again_when_a_new_writer_comes()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Fifo("kmsg");
        using var running = new RunningReader(new KmsgReader(fifo, replayHistory: false));

        File.WriteAllText(fifo, "6,1,100,-;from the first writer\n");
        Assert.Equal("6,1,100,-;from the first writer\n", running.Next());
        File.WriteAllText(fifo, "6,2,200,-;from the second writer\n");
        Assert.Equal("6,2,200,-;from the second writer\n", running.Next());
        Assert.Equal(2, running.Reader.Records);
    }

    [Fact]
    public void A_plain_file_is_replayed_from_the_start_only_with_history()
    {
        using var dir = new TempDirectory();
        var file = dir.File("kmsg", "6,1,100,-;old\n");

        using (var replaying = new RunningReader(new KmsgReader(file, replayHistory: true)))
            Assert.Equal("6,1,100,-;old\n", replaying.Next());

        using var fresh = new RunningReader(new KmsgReader(file, replayHistory: false));
        File.AppendAllText(file, "6,2,200,-;new\n");
        Assert.Equal("6,2,200,-;new\n", fresh.Next());
    }

    [Fact]
    public void The_real_dev_kmsg_is_read_read_only_one_record_per_read()
    {
        // Smoke test on the real device: replaying the ring yields well-formed records.
        using var running = new RunningReader(new KmsgReader("/dev/kmsg", replayHistory: true));
        var record = running.Next();

        Assert.Matches(@"^\d+,\d+,\d+,[^;]*;", record);
        Assert.EndsWith("\n", record);
    }

    [Fact]
    public void A_missing_path_is_refused_with_the_path_in_the_error()
    {
        var reader = new KmsgReader("/nonexistent/kmsg", replayHistory: false);
        var error = Assert.Throws<IOException>(() => reader.Run(_ => { }, CancellationToken.None));
        Assert.Contains("/nonexistent/kmsg", error.Message);
    }
}

using System.Text;
using Netoops.Protocol.Netconsole;

namespace Netoops.Protocol.Tests.Netconsole;

/// <summary>Fragment reassembly holds what arrived, not what a fragment announces, and lets go of it.</summary>
public class FragmentMemoryTests
{
    private static ExtendedDatagram Piece(ulong sequence, int offset, int total, string text)
    {
        Assert.Equal(Netoops.Protocol.Kmsg.RecordError.None, ExtendedParser.TryParseDatagram(Encoding.ASCII.GetBytes($"6,{sequence},1,-,ncfrag={offset}/{total};{text}"), out var piece));
        return piece;
    }

    [Fact]
    public void First_fragments_announcing_the_largest_total_cost_what_they_carry()
    {
        // The probe: tiny datagrams, each the first piece of a 128 KiB message that never comes.
        var senders = Enumerable.Range(0, 300).Select(_ => new FragmentReassembler()).ToList();
        var pieces = Enumerable.Range(0, 16_000).Select(i => Piece((ulong)i, 0, 131_072, "x")).ToList();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < pieces.Count; i++)
            senders[i % senders.Count].Add(pieces[i], out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // main allocated byte[total] + bool[total] per first piece: 256 KiB each, 32 held per sender.
        Assert.True(allocated < 16_000 * 1024, $"{allocated:N0} bytes allocated for 16,000 one-byte pieces");
        Assert.Equal(300 * 32, senders.Sum(s => s.HeldBytes));
    }

    [Fact]
    public void An_incomplete_message_older_than_the_age_limit_is_dropped_and_counted()
    {
        var budget = new FragmentBudget(1 << 20);
        var reassembler = new FragmentReassembler(maxAge: TimeSpan.FromSeconds(10), budget: budget);
        var start = DateTimeOffset.UnixEpoch;
        reassembler.Add(Piece(1, 0, 10, "abcde"), start, out _);
        reassembler.Expire(start.AddSeconds(9));
        Assert.Equal(1, reassembler.Pending);

        reassembler.Expire(start.AddSeconds(10));
        Assert.Equal(0, reassembler.Pending);
        Assert.Equal(1, reassembler.Expired);
        Assert.Equal(0, budget.HeldBytes);
    }

    [Fact]
    public void Senders_share_one_budget_and_a_completed_message_gives_its_bytes_back()
    {
        var budget = new FragmentBudget(8);
        var loud = new FragmentReassembler(budget: budget);
        var quiet = new FragmentReassembler(budget: budget);
        Assert.Equal(FragmentOutcome.Pending, loud.Add(Piece(1, 0, 20, "abcdefgh"), out _));
        Assert.Equal(FragmentOutcome.OverBudget, quiet.Add(Piece(1, 0, 4, "ab"), out _));
        Assert.Equal(1, budget.Refused);

        loud.Clear();
        Assert.Equal(0, budget.HeldBytes);
        Assert.Equal(FragmentOutcome.Pending, quiet.Add(Piece(1, 0, 4, "ab"), out _));
        Assert.Equal(FragmentOutcome.Completed, quiet.Add(Piece(1, 2, 4, "cd"), out var message));
        Assert.NotNull(message);
        Assert.Equal(0, budget.HeldBytes);
    }

    [Fact]
    public void Returning_more_than_was_taken_is_caught()
    {
        var budget = new FragmentBudget(8);
        Assert.True(budget.TryTake(4));
        budget.Return(4);
        Assert.Throws<InvalidOperationException>(() => budget.Return(1));
    }

    [Fact]
    public void A_sender_holds_at_most_its_byte_cap()
    {
        var reassembler = new FragmentReassembler(maxHeldBytes: 10);
        Assert.Equal(FragmentOutcome.Pending, reassembler.Add(Piece(1, 0, 100, "0123456789"), out _));
        Assert.Equal(FragmentOutcome.OverBudget, reassembler.Add(Piece(2, 0, 100, "x"), out _));
        Assert.Equal(10, reassembler.HeldBytes);
    }
}

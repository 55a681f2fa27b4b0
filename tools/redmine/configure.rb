# Sets up a local Redmine for the bot's tests and sandbox; run by setup.sh through `rails runner`.
# Idempotent: finds before it creates. Prints one JSON line with the keys and ids the tests need.
require 'json'

Setting.rest_api_enabled = '1'
Setting.default_language = 'en'

cancelled = IssueStatus.find_by(name: 'Cancelled') || IssueStatus.create!(name: 'Cancelled', is_closed: true)

telegram = IssueCustomField.find_by(name: 'Telegram ID') || IssueCustomField.create!(
  name: 'Telegram ID', field_format: 'string', is_for_all: true, is_filter: true, searchable: false,
  visible: true, editable: true, tracker_ids: Tracker.pluck(:id)
)
telegram.update!(tracker_ids: Tracker.pluck(:id)) if telegram.tracker_ids.sort != Tracker.pluck(:id).sort

# Every role may move an issue from any status to any other: the bot's lifecycle and the agent's work.
roles = Role.where(builtin: 0).to_a
statuses = IssueStatus.all.to_a
Tracker.all.each do |tracker|
  roles.each do |role|
    existing = WorkflowTransition.where(tracker_id: tracker.id, role_id: role.id, author: false, assignee: false)
                                 .pluck(:old_status_id, :new_status_id).to_set
    statuses.product(statuses).each do |from, to|
      next if from == to || existing.include?([from.id, to.id])
      WorkflowTransition.create!(tracker_id: tracker.id, role_id: role.id, old_status_id: from.id, new_status_id: to.id)
    end
  end
end

def user(login, first, last, admin: false)
  u = User.find_by(login: login) || User.new(firstname: first, lastname: last, mail: "#{login}@example.test")
  u.login = login
  u.admin = admin
  u.status = User::STATUS_ACTIVE
  u.password = u.password_confirmation = 'redmine-local-1' if u.new_record?
  u.must_change_passwd = false
  u.save!
  u.api_key # creates the key once
end

admin = User.find_by(login: 'admin')
admin.update!(must_change_passwd: false)
admin_key = admin.api_key
bot_key = user('servicebot', 'Service', 'Bot')
agent_key = user('agent', 'Anna', 'Agent')

manager = Role.find_by(name: 'Manager') || Role.find(3)
developer = Role.find_by(name: 'Developer') || Role.find(4)
trackers = Tracker.order(:position).to_a

def project(identifier, name, parent, trackers)
  p = Project.find_by(identifier: identifier) || Project.new(identifier: identifier, name: name)
  p.name = name
  p.parent = parent if parent && p.parent_id != parent.id
  p.is_public = false
  p.enabled_module_names = %w[issue_tracking]
  p.trackers = trackers
  p.save!
  p.set_parent!(parent) if parent && p.parent_id != parent.id
  p
end

def member(project, login, role)
  u = User.find_by(login: login)
  return if Member.where(project_id: project.id, user_id: u.id).exists?
  Member.create!(project: project, principal: u, roles: [role])
end

def category(project, name)
  IssueCategory.find_by(project_id: project.id, name: name) || IssueCategory.create!(project: project, name: name)
end

root = project('service-desk', 'Service desk', nil, trackers)
north = project('north-building', 'North building', root, trackers)
south = project('south-building', 'South building', root, trackers)
[root, north, south].each do |p|
  member(p, 'servicebot', manager)
  member(p, 'agent', developer)
end
%w[Plumbing Electricity Heating].each { |n| category(north, n) }
%w[Cleaning Lifts].each { |n| category(south, n) }

puts JSON.generate(
  admin_key: admin_key, bot_key: bot_key, agent_key: agent_key, project: root.identifier,
  telegram_field_id: telegram.id, cancelled_status_id: cancelled.id
)
